// The rules of accounts, for the CLI, the API and the pages alike: adding accounts (password rules), roles and
// disabling (which end every session), signing in with growing delays per account and per client address, sessions
// (the cookie's value is never stored: only its sha256), API tokens (hzn_…, shown once, stored as sha256, scopes cut to
// the account's role when used), and who a request's credentials make its actor. Every change is audited in its own
// transaction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_ACCOUNTS } from '../config/config.ts';
import { HorizonError, RateLimited, errors, problem } from '../errors.ts';
import type { Database, Queryable } from '../store/database.ts';
import { LOCKS, lock } from '../store/locks.ts';
import { databaseNow, recentRateEvents, recordRateEvents } from '../store/rate-events.store.ts';
import {
  accountByEmail,
  accountById,
  clearLatestRateEvent,
  clearRateEvents,
  deleteSession,
  insertAccount,
  insertSession,
  insertToken,
  listAccountRows,
  lockAccount,
  markDisabled,
  markTokenRevoked,
  markTokenUsed,
  pruneSessions,
  sessionByHash,
  tokenById,
  tokenByHash,
  tokensOf,
  touchSession,
  updateRole,
  type AccountRecord,
  type TokenRecord,
} from './accounts.store.ts';
import { recordAudit, type AuditActor } from './audit.service.ts';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { ROLES, ROLE_SCOPES, SCOPES, type Actor, type Role, type Scope } from './types.ts';

export type { AccountRecord, TokenRecord } from './accounts.store.ts';

/** The prefix of every account API token (other bearer tokens, such as subscription owner tokens, are not accounts'). */
export const TOKEN_PREFIX = 'hzn_';

/** How long sessions live (config accounts). */
export interface SessionOptions {
  /** A session not used for this long ends. */
  readonly idleSeconds: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxAgeSeconds: number;
}

export const DEFAULT_SESSIONS: SessionOptions = DEFAULT_ACCOUNTS.sessions;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;

/** An account as others see it (never its password hash). */
export interface AccountSummary {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

const summary = (a: AccountRecord): AccountSummary => ({
  id: a.id,
  email: a.email,
  name: a.name,
  role: a.role,
  createdAt: a.createdAt,
  disabledAt: a.disabledAt,
});

const auditActor = (a: { id: string; email: string }): AuditActor => ({ accountId: a.id, email: a.email });

/** The scopes a role grants now. */
export function roleScopes(role: Role): readonly Scope[] {
  return ROLE_SCOPES.get(role) ?? [];
}

function actorOf(a: AccountRecord, via: 'session' | 'token', token?: TokenRecord): Actor {
  const granted = roleScopes(a.role);
  const scopes = token ? granted.filter((s) => token.scopes.includes(s)) : granted;
  return {
    accountId: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    scopes: new Set(scopes),
    via,
    ...(token ? { tokenId: token.id } : {}),
  };
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An e-mail address as accounts keep it (trimmed, lower case), or a 400 naming `where`. */
export function normalEmail(email: string, where = 'email'): string {
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e)) {
    throw errors.invalidParameter(where, { key: 'error.account.email', params: { value: email.slice(0, 100) } });
  }
  return e;
}

function roleOrThrow(role: string, where = 'role'): Role {
  if (!isRole(role)) {
    throw errors.invalidParameter(where, {
      key: 'error.account.role',
      params: { value: role, choices: ROLES.join(', ') },
    });
  }
  return role;
}

export interface NewAccount {
  readonly email: string;
  readonly role: string;
  readonly name?: string | undefined;
  readonly password: string;
}

/** Who is doing something, for the audit log: an actor, or null (the CLI, run by whoever holds the data folder). */
export interface Doer {
  readonly by: AuditActor | null;
  readonly address?: string | null | undefined;
}

const CLI: Doer = { by: null, address: null };

/** Adds an account (400 naming the field for a bad e-mail, role or password; 409 when the e-mail has one). */
export async function addAccount(db: Database, input: NewAccount, doer: Doer = CLI): Promise<AccountSummary> {
  const email = normalEmail(input.email);
  const role = roleOrThrow(input.role);
  const name = (input.name ?? '').trim() || email.split('@')[0] || email;
  if (name.length > 200)
    throw errors.invalidParameter('name', { key: 'error.schema.maxLength', params: { limit: '200' } });
  const weak = passwordProblem(input.password, email);
  if (weak) throw errors.invalidParameter('password', weak);
  const passwordHash = await hashPassword(input.password);
  const id = newId('u');
  return db.transaction(async (tx) => {
    if (!(await insertAccount(tx, { id, email, name, role, passwordHash }))) {
      throw new HorizonError('conflict', { key: 'error.account.exists', params: { email } });
    }
    await recordAudit(tx, {
      actor: doer.by,
      action: 'account.added',
      subject: id,
      address: doer.address,
      detail: { email, role },
    });
    const added = await accountById(tx, id);
    if (!added) throw new Error('account not added');
    return summary(added);
  });
}

export async function listAccounts(q: Queryable): Promise<AccountSummary[]> {
  return (await listAccountRows(q)).map(summary);
}

/** The account with this id or e-mail address, or 404. */
export async function findAccount(q: Queryable, idOrEmail: string): Promise<AccountRecord> {
  const a = idOrEmail.includes('@')
    ? await accountByEmail(q, idOrEmail.trim().toLowerCase())
    : await accountById(q, idOrEmail);
  if (!a) throw errors.notFound('account', idOrEmail);
  return a;
}

/**
 * Refuses (409) to leave no active admin when the change is asked for from the web (doer.by set): the last admin
 * cannot demote or disable themselves or be demoted there. The CLI, run by whoever holds the database, can always
 * add another admin first.
 */
async function keepAnAdmin(q: Queryable, a: AccountRecord, doer: Doer): Promise<void> {
  if (!doer.by || a.role !== 'admin' || a.disabledAt) return;
  const admins = (await listAccountRows(q)).filter((x) => x.role === 'admin' && !x.disabledAt);
  if (admins.length <= 1) throw new HorizonError('conflict', { key: 'error.account.lastAdmin' });
}

/** Changes an account's role; every session it has ends, its tokens' scopes shrink with the role. */
export async function setRole(
  db: Database,
  idOrEmail: string,
  role: string,
  doer: Doer = CLI,
): Promise<AccountSummary> {
  const next = roleOrThrow(role);
  return db.transaction(async (tx) => {
    const a = await findAccount(tx, idOrEmail);
    await lockAccount(tx, a.id);
    if (a.role !== next) {
      await keepAnAdmin(tx, a, doer);
      await updateRole(tx, a.id, next);
      await recordAudit(tx, {
        actor: doer.by,
        action: 'account.role',
        subject: a.id,
        address: doer.address,
        detail: { email: a.email, from: a.role, to: next },
      });
    }
    return summary({ ...a, role: next });
  });
}

/** Disables an account: its sessions end and its tokens stop working; nothing it did is removed. */
export async function disableAccount(db: Database, idOrEmail: string, doer: Doer = CLI): Promise<AccountSummary> {
  return db.transaction(async (tx) => {
    const a = await findAccount(tx, idOrEmail);
    await lockAccount(tx, a.id);
    await keepAnAdmin(tx, a, doer);
    await markDisabled(tx, a.id);
    if (!a.disabledAt) {
      await recordAudit(tx, {
        actor: doer.by,
        action: 'account.disabled',
        subject: a.id,
        address: doer.address,
        detail: { email: a.email },
      });
    }
    const after = await accountById(tx, a.id);
    return summary(after ?? a);
  });
}

// --- signing in

/**
 * Login throttling. Per account (by e-mail address, whether it exists or not): from the 3rd failure in 15 minutes each
 * attempt must wait 2^(n-3) seconds after the last one (1, 2, 4 … at most 5 minutes), and 10 failures in a minute
 * refuse the 11th outright; per client address: from the 20th failure in 15 minutes the same growing waits, and 50
 * refuse. A refused attempt is not checked (a right password is refused too) and not counted.
 */
export const THROTTLE = {
  window: 15 * 60_000,
  account: { delayFrom: 3, refuseAt: 50, perMinute: 10 },
  address: { delayFrom: 20, refuseAt: 50, perMinute: 40 },
  maxDelaySeconds: 300,
} as const;

/** Seconds until another attempt is allowed under this key (acts at `times`, ms, oldest first), or 0. */
export function throttleWait(
  times: readonly number[],
  now: number,
  rule: { delayFrom: number; refuseAt: number; perMinute: number },
) {
  const n = times.length;
  if (n === 0) return 0;
  const last = times[n - 1] ?? now;
  const lastMinute = times.filter((t) => t > now - 60_000);
  if (lastMinute.length >= rule.perMinute) {
    const oldest = lastMinute[0] ?? now;
    return Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
  }
  if (n >= rule.refuseAt) {
    const oldest = times[0] ?? now;
    return Math.max(1, Math.ceil((oldest + THROTTLE.window - now) / 1000));
  }
  if (n < rule.delayFrom) return 0;
  const delay = Math.min(2 ** (n - rule.delayFrom), THROTTLE.maxDelaySeconds) * 1000;
  return Math.max(0, Math.ceil((last + delay - now) / 1000));
}

export interface LoginInput {
  readonly email: string;
  readonly password: string;
  /** The client's address (request.ip). */
  readonly address: string;
}

export interface SignedIn {
  /** The session cookie's value (shown to the browser only; its hash is stored). */
  readonly cookie: string;
  readonly csrf: string;
  readonly account: AccountSummary;
}

/** A wrong e-mail or password: one message for both (no telling which accounts exist). */
const loginFailed = () => new HorizonError('unauthorized', { key: 'error.login.failed' });

/**
 * Signs in: throttled (RateLimited, 429, with the seconds to wait), then the password checked (401 for a wrong one,
 * an unknown e-mail address and a disabled account alike, taking the same time), then a new session (a new id at
 * every sign-in). Audited: login, login.failed, login.throttled.
 */
export async function login(
  db: Database,
  input: LoginInput,
  sessions: SessionOptions = DEFAULT_SESSIONS,
): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const accountKey = sha256(`login\n${email}`);
  const addressKey = sha256(`login\n${input.address}`);
  // Counted before the password is checked, under the lock: a burst of parallel attempts cannot all pass the check.
  const wait = await db.transaction(async (tx) => {
    await lock(tx, LOCKS.rateLimits);
    const now = await databaseNow(tx);
    const byAccount = await recentRateEvents(tx, 'login.account', accountKey, THROTTLE.window);
    const byAddress = await recentRateEvents(tx, 'login.address', addressKey, THROTTLE.window);
    const seconds = Math.max(
      throttleWait(byAccount, now, THROTTLE.account),
      throttleWait(byAddress, now, THROTTLE.address),
    );
    if (seconds > 0) {
      await recordAudit(tx, {
        actor: null,
        action: 'login.throttled',
        subject: email,
        address: input.address,
        detail: { email, retry_after: seconds },
      });
      return seconds;
    }
    await recordRateEvents(tx, ['login.account', 'login.address'], [accountKey, addressKey]);
    return 0;
  });
  if (wait > 0)
    throw new RateLimited(wait, [problem('email', { key: 'error.login.throttled', params: { seconds: wait } })]);

  const account = await accountByEmail(db, email);
  const ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
  if (!account || !ok || account.disabledAt) {
    await recordAudit(db, {
      actor: account ? auditActor(account) : null,
      action: 'login.failed',
      subject: account?.id ?? email,
      address: input.address,
      detail: { email, reason: !account ? 'unknown' : !ok ? 'password' : 'disabled' },
    });
    throw loginFailed();
  }
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await pruneSessions(tx, sessions.idleSeconds);
    await clearRateEvents(tx, 'login.account', accountKey);
    await clearLatestRateEvent(tx, 'login.address', addressKey);
    await insertSession(tx, {
      idHash: sha256(cookie),
      accountId: account.id,
      epoch: account.epoch,
      csrf,
      maxAgeSeconds: sessions.maxAgeSeconds,
      address: input.address,
    });
    await recordAudit(tx, { actor: auditActor(account), action: 'login', subject: account.id, address: input.address });
  });
  return { cookie, csrf, account: summary(account) };
}

/** Ends the session of this cookie value (nothing when there is none). */
export async function logout(db: Database, cookie: string, address: string): Promise<void> {
  const hash = sha256(cookie);
  await db.transaction(async (tx) => {
    const s = await sessionByHash(tx, hash);
    await deleteSession(tx, hash);
    if (s) await recordAudit(tx, { actor: auditActor(s.account), action: 'logout', subject: s.account.id, address });
  });
}

/** A session's actor and the CSRF token of its forms. */
export interface SessionActor {
  readonly actor: Actor;
  readonly csrf: string;
}

/**
 * The actor of a session cookie's value, or null: unknown, idle too long, past its absolute expiry, opened before a
 * role change, or of a disabled account (such sessions are deleted). Marks it seen (at most once a minute).
 */
export async function resolveSession(
  db: Database,
  cookie: string,
  sessions: SessionOptions = DEFAULT_SESSIONS,
): Promise<SessionActor | null> {
  if (cookie.length < 20 || cookie.length > 100) return null;
  const hash = sha256(cookie);
  const s = await sessionByHash(db, hash);
  if (!s) return null;
  if (s.expired || s.idleSeconds > sessions.idleSeconds || s.epoch !== s.account.epoch || s.account.disabledAt) {
    await deleteSession(db, hash);
    return null;
  }
  if (s.idleSeconds > 60) await touchSession(db, hash);
  return { actor: actorOf(s.account, 'session'), csrf: s.csrf };
}

/** Whether a CSRF token given with a form is the session's (constant time). */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// --- API tokens

export interface NewToken {
  readonly name?: string | undefined;
  readonly scopes: readonly string[];
  /** Days until it expires; none: it lasts until revoked. */
  readonly expiresInDays?: number | undefined;
}

export interface CreatedToken {
  /** The token itself: shown once, never stored. */
  readonly token: string;
  readonly record: TokenRecord;
}

/**
 * Creates a token for an account with scopes it holds now (400 naming `scopes` for one it does not, or an unknown one;
 * `limit` caps them further: a token cannot make a token that may do more than itself). Audited: token.created.
 */
export async function createToken(
  db: Database,
  idOrEmail: string,
  input: NewToken,
  doer: Doer = CLI,
  limit?: ReadonlySet<Scope>,
): Promise<CreatedToken> {
  const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter((s) => s !== ''))];
  if (scopes.length === 0)
    throw errors.invalidParameter('scopes', { key: 'error.token.noScopes', params: { choices: SCOPES.join(', ') } });
  const name = (input.name ?? '').trim() || 'token';
  if (name.length > 200)
    throw errors.invalidParameter('name', { key: 'error.schema.maxLength', params: { limit: '200' } });
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw errors.invalidParameter('expires_in_days', { key: 'error.token.expiry' });
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const a = await findAccount(tx, idOrEmail);
    await lockAccount(tx, a.id);
    if (a.disabledAt) throw new HorizonError('forbidden', { key: 'error.account.disabled' });
    const granted = roleScopes(a.role);
    for (const [i, s] of scopes.entries()) {
      if (!isScope(s) || !granted.includes(s) || (limit && !limit.has(s))) {
        throw errors.invalidParameter(`scopes.${i}`, {
          key: 'error.token.scope',
          params: { scope: s, choices: granted.join(', ') },
        });
      }
    }
    const record = await insertToken(tx, {
      id: newId('t'),
      accountId: a.id,
      hash: sha256(token),
      name,
      scopes: scopes as Scope[],
      ...(days !== undefined ? { expiresInDays: days } : {}),
    });
    await recordAudit(tx, {
      actor: doer.by ?? null,
      action: 'token.created',
      subject: record.id,
      address: doer.address,
      detail: { account: a.id, email: a.email, name, scopes, expires_at: record.expiresAt },
    });
    return { token, record };
  });
}

/** An account's tokens (revoked and expired ones too, so their owner sees what happened to them). */
export async function listTokens(q: Queryable, idOrEmail: string): Promise<TokenRecord[]> {
  const a = await findAccount(q, idOrEmail);
  return tokensOf(q, a.id);
}

/**
 * Revokes a token. `owner`: when given, the token must be that account's (404 otherwise, as for an unknown id), unless
 * it is an admin's request (ownerOrAdmin). Audited: token.revoked.
 */
export async function revokeToken(
  db: Database,
  tokenId: string,
  doer: Doer = CLI,
  owner?: string,
): Promise<TokenRecord> {
  return db.transaction(async (tx) => {
    const t = await tokenById(tx, tokenId);
    if (!t || (owner !== undefined && t.accountId !== owner)) throw errors.notFound('token', tokenId);
    await markTokenRevoked(tx, t.id);
    if (!t.revokedAt) {
      await recordAudit(tx, {
        actor: doer.by,
        action: 'token.revoked',
        subject: t.id,
        address: doer.address,
        detail: { account: t.accountId, name: t.name },
      });
    }
    return (await tokenById(tx, t.id)) ?? t;
  });
}

/**
 * The actor of an account token (hzn_…), or null: unknown, revoked, expired, or of a disabled account. Its scopes are
 * the token's cut to the account's role now. The use is recorded (last_used_at and an audit token.used) at most once
 * a minute per token, so a busy client does not flood the log.
 */
export async function resolveToken(db: Database, token: string, address: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const found = await tokenByHash(db, sha256(token));
  if (!found) return null;
  const { token: t, account } = found;
  if (t.revokedAt || t.expired || account.disabledAt) return null;
  if (t.sinceUseSeconds === null || t.sinceUseSeconds >= 60) {
    await db.transaction(async (tx) => {
      await markTokenUsed(tx, t.id);
      await recordAudit(tx, { actor: auditActor(account), action: 'token.used', subject: t.id, address });
    });
  }
  return actorOf(account, 'token', t);
}
