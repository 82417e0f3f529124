// Accounts for tests: an account with a known password (hashed once per password and process: scrypt is slow on
// purpose), an API token with given scopes, and a real sign-in over HTTP that returns the session cookie and the
// CSRF token read from a signed-in page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createToken } from '../../src/accounts/accounts.service.ts';
import { insertAccount } from '../../src/accounts/accounts.store.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import type { Role, Scope } from '../../src/accounts/types.ts';
import type { Database } from '../../src/store/database.ts';

/** The password test accounts get when none is given. */
export const TEST_PASSWORD = 'Horizon test password 2026!';

const hashes = new Map<string, Promise<string>>();

/** An account with a known password (the role and e-mail as given; the e-mail lower-cased). */
export async function createTestAccount(
  db: Database,
  spec: { email: string; role: Role; password?: string; name?: string },
): Promise<{ id: string; email: string; password: string }> {
  const password = spec.password ?? TEST_PASSWORD;
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  const email = spec.email.toLowerCase();
  const id = `u_${randomBytes(9).toString('base64url')}`;
  const added = await insertAccount(db, {
    id,
    email,
    name: spec.name ?? email.split('@')[0] ?? email,
    role: spec.role,
    passwordHash: await hash,
  });
  assert.ok(added, `an account for ${email} exists already`);
  return { id, email, password };
}

/** A new API token (hzn_…) of the account with these scopes (which its role must grant). */
export async function apiToken(db: Database, email: string, scopes: readonly Scope[]): Promise<string> {
  const created = await createToken(db, email, { name: `test ${scopes.join(' ')}`, scopes });
  return created.token;
}

/** The value of a Set-Cookie header's horizon_session cookie. */
export function sessionCookieFrom(response: Response): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const m = /^horizon_session=([^;]*)/.exec(header);
    if (m?.[1]) return `horizon_session=${m[1]}`;
  }
  return undefined;
}

/** The CSRF token of a signed-in page's forms. */
export function csrfOf(page: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
}

/**
 * Signs in through the real form (POST /login) and reads the CSRF token from /account: `cookie` is the Cookie
 * header to send (`horizon_session=…`), `csrf` the `_csrf` field (or X-CSRF-Token header) of that session's forms.
 */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, next: '/account' }).toString(),
    redirect: 'manual',
  });
  const cookie = sessionCookieFrom(response);
  assert.equal(response.status, 303, `sign-in of ${email} answered ${response.status}`);
  assert.ok(cookie, `sign-in of ${email} set no session cookie`);
  const page = await fetch(`${baseUrl}/account`, { headers: { cookie } });
  assert.equal(page.status, 200, `/account answered ${page.status} after signing in`);
  const csrf = csrfOf(await page.text());
  assert.ok(csrf, '/account carries no CSRF token');
  return { cookie, csrf };
}
