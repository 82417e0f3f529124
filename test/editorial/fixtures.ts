// What the change-set tests share: actors of each role built by hand (the service takes an Actor), a workspace over a
// database, and entities in the bundle's shape.
import { ROLE_SCOPES, type Actor, type Role } from '../../src/accounts/types.ts';
import { addDays, today } from '../../src/domain/dates.ts';
import type { Workspace } from '../../src/editorial/changesets.service.ts';
import type { Database } from '../../src/store/database.ts';

/** An actor of the role with the role's scopes (a session's). */
export function actor(role: Role, name: string): Actor {
  return {
    accountId: `acc_${name}`,
    email: `${name}@example.org`,
    name,
    role,
    scopes: new Set(ROLE_SCOPES.get(role) ?? []),
    via: 'session',
  };
}

export const EDITOR = actor('editor', 'erin');
export const EDITOR_2 = actor('editor', 'eddie');
export const REVIEWER = actor('reviewer', 'rosa');
export const ADMIN = actor('admin', 'ada');

export function workspace(db: Database, over: Partial<Workspace> = {}): Workspace {
  return { db, selfApproval: false, ...over };
}

export const NEW_ID = 'cn-cac-2026-zephyr-model-registration-draft';

/** A new instrument: a draft for comment published today whose comment deadline is 20 days ahead. */
export function draftInstrument(from = new Date()) {
  const day = today(from);
  return {
    id: NEW_ID,
    title: {
      en: 'Measures for the Registration of Zephyr Foundation Models (Draft for Comment)',
      zh: '泽风基础模型备案管理办法（征求意见稿）',
    },
    kind: 'departmental-rule',
    jurisdiction: 'cn',
    issuers: ['cac'],
    topics: ['data-resources'],
    summary: {
      en: 'A draft for comment on registering zephyr foundation models before they are offered to the public.',
      zh: '关于泽风基础模型在向公众提供前进行备案的征求意见稿。',
    },
    sources: [{ source: 'elxm-1547' }],
    events: [
      { type: 'draft-published', date: day, sources: [{ source: 'elxm-1547' }] },
      { type: 'comment-deadline', date: addDays(day, 20), sources: [{ source: 'elxm-1547' }] },
    ],
  };
}

export const ARTICLE = 'ai-initiatives-in-china';
