// The audit log's rules: what a record holds (who, when, from where, what), the filters admins read it with, and its
// export as JSON Lines. Every module that changes something on someone's behalf calls recordAudit in the same
// transaction as the change, so a change that rolls back leaves no record and a record never lacks its change.
import { errors } from '../errors.ts';
import type { Queryable } from '../store/database.ts';
import { insertAudit, selectAudit, type AuditFilter, type AuditRecord } from './audit.store.ts';

export type { AuditRecord } from './audit.store.ts';

/** Who did it: an actor (accounts/types.ts Actor fits), an account, or nobody known (a failed login). */
export interface AuditActor {
  readonly accountId: string;
  readonly email: string;
}

export interface AuditEntry {
  readonly actor: AuditActor | null;
  /** What was done: login, login.failed, logout, token.created, token.used, token.revoked, account.added,
   * account.role, account.disabled; the workspace adds changeset.saved, changeset.submitted … */
  readonly action: string;
  /** What it was done to (an account id, a token id, a change set id …). */
  readonly subject?: string | null | undefined;
  /** The client's address (request.ip), or null (the CLI). */
  readonly address?: string | null | undefined;
  /** What else is worth knowing, as JSON; never a password, a token or a cookie value. */
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

/** Appends one record to the audit log (in the caller's transaction when `q` is one). */
export async function recordAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await insertAudit(q, {
    actorId: entry.actor?.accountId ?? null,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    subject: entry.subject ?? null,
    address: entry.address ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  });
}

export interface AuditQuery {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  /** A day (YYYY-MM-DD) or an ISO 8601 instant. */
  readonly since?: string | undefined;
  readonly before?: number | undefined;
  readonly limit?: number | undefined;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The filter of a query, checked (400 naming the parameter). */
export function auditFilter(query: AuditQuery, maxLimit = 1000): AuditFilter {
  const since = query.since?.trim() || undefined;
  if (since !== undefined && (!INSTANT.test(since) || Number.isNaN(Date.parse(since)))) {
    throw errors.invalidParameter('since', { key: 'error.audit.since', params: { value: since } });
  }
  return {
    actor: query.actor?.trim() || undefined,
    action: query.action?.trim() || undefined,
    since: since && since.length === 10 ? `${since}T00:00:00Z` : since,
    before: query.before,
    limit: Math.min(Math.max(query.limit ?? 100, 1), maxLimit),
  };
}

/** Records matching the query, newest first. */
export function listAudit(q: Queryable, query: AuditQuery): Promise<AuditRecord[]> {
  return selectAudit(q, auditFilter(query));
}

/** One record as the API and the export show it. */
export function presentAudit(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at,
    actor: r.actorId === null && r.actorEmail === null ? null : { id: r.actorId, email: r.actorEmail },
    action: r.action,
    subject: r.subject,
    address: r.address,
    detail: r.detail,
  };
}

/**
 * The records matching the query as JSON Lines, oldest first within what is returned, read in pages of 1,000 (at
 * most `max` records).
 */
export async function* exportAudit(q: Queryable, query: AuditQuery, max = 100_000): AsyncGenerator<string> {
  let before: number | undefined;
  let sent = 0;
  for (;;) {
    const page = await selectAudit(q, { ...auditFilter({ ...query, limit: 1000 }), before });
    for (const r of page) yield `${JSON.stringify(presentAudit(r))}\n`;
    sent += page.length;
    const last = page.at(-1);
    if (page.length < 1000 || !last || sent >= max) return;
    before = last.id;
  }
}
