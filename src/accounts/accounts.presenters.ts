// The JSON of accounts and API tokens, for the API and the CLI's --json (never a password hash or a token's hash).
import type { AccountSummary, TokenRecord } from './accounts.service.ts';

/** A token as the API shows it (never its hash). */
export function presentToken(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    scopes: [...t.scopes],
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    status: t.revokedAt ? ('revoked' as const) : t.expired ? ('expired' as const) : ('active' as const),
  };
}

export function presentAccount(a: AccountSummary) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    created_at: a.createdAt,
    disabled_at: a.disabledAt,
  };
}
