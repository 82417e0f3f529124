// What the workspace tells the audit log (save, submit, approve, return, publish, withdraw, comment, schedule, rebase,
// revert). A stand-in until the accounts' recordAudit (src/accounts/) is merged: the calls are written against it
// and switch to it then.
import type { Queryable } from '../store/database.ts';

/** One audited action of the workspace: who, what, on which change set, with which details. */
export interface AuditNote {
  readonly action: string;
  readonly actor: { readonly id: string; readonly email: string };
  readonly target: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Records an audit entry in the caller's transaction (the stand-in records nothing). */
export async function audit(q: Queryable, note: AuditNote): Promise<void> {
  void q;
  void note;
  return Promise.resolve();
}
