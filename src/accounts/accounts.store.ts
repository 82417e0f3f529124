// Rows of accounts, sessions and API tokens (migration 0008): typed records in and out, no rules (those are in
// accounts.service.ts). Secrets arrive here already hashed.
import type { Queryable } from '../store/database.ts';
import type { Role, Scope } from './types.ts';

export interface AccountRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly epoch: number;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  epoch: number;
  created_at: string;
  disabled_at: string | null;
}

const ACCOUNT_COLUMNS = `a.id, a.email, a.name, a.role, a.password_hash, a.epoch,
  to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(a.disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS disabled_at`;

const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  epoch: Number(r.epoch),
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/** Adds an account; false when the e-mail address has one already. */
export async function insertAccount(
  q: Queryable,
  a: { id: string; email: string; name: string; role: Role; passwordHash: string },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO accounts (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) DO NOTHING RETURNING 1`,
    [a.id, a.email, a.name, a.role, a.passwordHash],
  );
  return rows.length === 1;
}

export async function accountByEmail(q: Queryable, email: string): Promise<AccountRecord | undefined> {
  const [row] = await q.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1`, [email]);
  return row ? toAccount(row) : undefined;
}

export async function accountById(q: Queryable, id: string): Promise<AccountRecord | undefined> {
  const [row] = await q.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`, [id]);
  return row ? toAccount(row) : undefined;
}

export async function listAccountRows(q: Queryable): Promise<AccountRecord[]> {
  const rows = await q.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email`);
  return rows.map(toAccount);
}

/** Sets the role and moves the epoch on (every session opened before ends). */
export async function updateRole(q: Queryable, id: string, role: Role): Promise<void> {
  await q.query('UPDATE accounts SET role = $2, epoch = epoch + 1 WHERE id = $1', [id, role]);
}

/** Marks the account disabled and moves the epoch on; its sessions are deleted. */
export async function markDisabled(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE accounts SET disabled_at = coalesce(disabled_at, now()), epoch = epoch + 1 WHERE id = $1', [
    id,
  ]);
  await q.query('DELETE FROM sessions WHERE account_id = $1', [id]);
}

/** Locks the account's row until the transaction ends (role changes and token creation do not interleave). */
export async function lockAccount(q: Queryable, id: string): Promise<void> {
  await q.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [id]);
}

// --- sessions

export interface SessionRecord {
  readonly account: AccountRecord;
  readonly epoch: number;
  readonly csrf: string;
  /** Seconds since the session was last seen (by the database's clock). */
  readonly idleSeconds: number;
  /** Whether the absolute expiry has passed. */
  readonly expired: boolean;
}

export async function insertSession(
  q: Queryable,
  s: { idHash: string; accountId: string; epoch: number; csrf: string; maxAgeSeconds: number; address: string },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id_hash, account_id, epoch, csrf, expires_at, address)
     VALUES ($1, $2, $3, $4, now() + ($5::bigint * interval '1 second'), $6)`,
    [s.idHash, s.accountId, s.epoch, s.csrf, s.maxAgeSeconds, s.address],
  );
}

/** The session with this hash and its account, or undefined. */
export async function sessionByHash(q: Queryable, idHash: string): Promise<SessionRecord | undefined> {
  const [row] = await q.query<AccountRow & { s_epoch: number; csrf: string; idle: number; expired: boolean }>(
    `SELECT ${ACCOUNT_COLUMNS}, s.epoch AS s_epoch, s.csrf,
       extract(epoch FROM now() - s.last_seen_at)::float8 AS idle, s.expires_at <= now() AS expired
     FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1`,
    [idHash],
  );
  if (!row) return undefined;
  return {
    account: toAccount(row),
    epoch: Number(row.s_epoch),
    csrf: row.csrf,
    idleSeconds: Number(row.idle),
    expired: row.expired,
  };
}

/** Marks the session seen now. */
export async function touchSession(q: Queryable, idHash: string): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
}

export async function deleteSession(q: Queryable, idHash: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

export async function deleteSessionsOf(q: Queryable, accountId: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
}

/** Forgets sessions past their absolute expiry or idle longer than `idleSeconds`. */
export async function pruneSessions(q: Queryable, idleSeconds: number): Promise<void> {
  await q.query(
    `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at < now() - ($1::bigint * interval '1 second')`,
    [idleSeconds],
  );
}

// --- API tokens

export interface TokenRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  /** Whether the expiry has passed (by the database's clock). */
  readonly expired: boolean;
  /** Seconds since the last use recorded, or null when never used. */
  readonly sinceUseSeconds: number | null;
}

interface TokenRow {
  id: string;
  account_id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  expired: boolean;
  since_use: number | null;
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TOKEN_COLUMNS = `t.id, t.account_id, t.name, t.scopes, ${ts('t.created_at')} AS created_at,
  ${ts('t.last_used_at')} AS last_used_at, ${ts('t.expires_at')} AS expires_at, ${ts('t.revoked_at')} AS revoked_at,
  coalesce(t.expires_at <= now(), false) AS expired,
  extract(epoch FROM now() - t.last_used_at)::float8 AS since_use`;

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  scopes: r.scopes,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  expired: r.expired,
  sinceUseSeconds: r.since_use === null ? null : Number(r.since_use),
});

export async function insertToken(
  q: Queryable,
  t: { id: string; accountId: string; hash: string; name: string; scopes: readonly Scope[]; expiresInDays?: number },
): Promise<TokenRecord> {
  const [row] = await q.query<TokenRow>(
    `INSERT INTO api_tokens AS t (id, account_id, token_hash, name, scopes, expires_at)
     VALUES ($1, $2, $3, $4, $5::text[], CASE WHEN $6::int IS NULL THEN NULL ELSE now() + ($6::int * interval '1 day') END)
     RETURNING ${TOKEN_COLUMNS}`,
    [t.id, t.accountId, t.hash, t.name, t.scopes, t.expiresInDays ?? null],
  );
  if (!row) throw new Error('token not inserted');
  return toToken(row);
}

/** The token with this hash and its account. */
export async function tokenByHash(
  q: Queryable,
  hash: string,
): Promise<{ token: TokenRecord; account: AccountRecord } | undefined> {
  const [row] = await q.query<TokenRow & { account: string }>(
    `SELECT ${TOKEN_COLUMNS}, (SELECT row_to_json(x)::text FROM (SELECT ${ACCOUNT_COLUMNS} FROM accounts a
       WHERE a.id = t.account_id) x) AS account
     FROM api_tokens t WHERE t.token_hash = $1`,
    [hash],
  );
  if (!row) return undefined;
  return { token: toToken(row), account: toAccount(JSON.parse(row.account) as AccountRow) };
}

export async function tokensOf(q: Queryable, accountId: string): Promise<TokenRecord[]> {
  const rows = await q.query<TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.account_id = $1 ORDER BY t.created_at, t.id`,
    [accountId],
  );
  return rows.map(toToken);
}

export async function tokenById(q: Queryable, id: string): Promise<TokenRecord | undefined> {
  const [row] = await q.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1`, [id]);
  return row ? toToken(row) : undefined;
}

/** Marks the token revoked (once: the first time stays). */
export async function markTokenRevoked(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
}

/** Records a use of the token now. */
export async function markTokenUsed(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [id]);
}

/** Forgets the login failures counted under these keys (after a successful login). */
export async function clearRateEvents(q: Queryable, scope: string, keyHash: string): Promise<void> {
  await q.query('DELETE FROM rate_events WHERE scope = $1 AND key_hash = $2', [scope, keyHash]);
}

/** Forgets the latest act counted under the key (a successful login's own attempt from its address). */
export async function clearLatestRateEvent(q: Queryable, scope: string, keyHash: string): Promise<void> {
  await q.query(
    `DELETE FROM rate_events WHERE ctid = (SELECT ctid FROM rate_events WHERE scope = $1 AND key_hash = $2
       ORDER BY at DESC LIMIT 1)`,
    [scope, keyHash],
  );
}
