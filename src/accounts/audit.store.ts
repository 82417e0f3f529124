// audit_log rows (migration 0008): appended, read with filters, never updated or deleted (a trigger refuses both).
import type { Queryable } from '../store/database.ts';

export interface AuditRecord {
  readonly id: number;
  /** ISO 8601 UTC with milliseconds. */
  readonly at: string;
  readonly actorId: string | null;
  readonly actorEmail: string | null;
  readonly action: string;
  readonly subject: string | null;
  readonly address: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditFilter {
  /** An account id or e-mail address. */
  readonly actor?: string | undefined;
  /** An action, or a prefix ending in "." (token. for token.created, token.used …). */
  readonly action?: string | undefined;
  /** Records at or after this instant (ISO 8601). */
  readonly since?: string | undefined;
  /** Records with an id below this (paging, newest first). */
  readonly before?: number | undefined;
  readonly limit: number;
}

export async function insertAudit(
  q: Queryable,
  r: {
    actorId: string | null;
    actorEmail: string | null;
    action: string;
    subject: string | null;
    address: string | null;
    detail: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_id, actor_email, action, subject, address, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.actorId, r.actorEmail, r.action, r.subject, r.address, r.detail],
  );
}

/** Records matching the filter, newest first. */
export async function selectAudit(q: Queryable, f: AuditFilter): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.actor) add('(actor_id = ? OR actor_email = lower(?))', f.actor);
  if (f.action) {
    if (f.action.endsWith('.')) add('starts_with(action, ?)', f.action);
    else add('action = ?', f.action);
  }
  if (f.since) add('at >= ?::timestamptz', f.since);
  if (f.before !== undefined) add('id < ?', f.before);
  params.push(f.limit);
  const rows = await q.query<{
    id: number;
    at: string;
    actor_id: string | null;
    actor_email: string | null;
    action: string;
    subject: string | null;
    address: string | null;
    detail: string;
  }>(
    `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor_id, actor_email, action,
       subject, address, detail
     FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    action: r.action,
    subject: r.subject,
    address: r.address,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
