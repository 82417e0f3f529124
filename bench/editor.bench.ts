// Editor page benchmark: the change-set page of a 50-entity change set (entities, field-level diff of each, comments,
// actions) against the guide's article page, both rendered by the same app over app.inject (no network), the two
// interleaved (A, B, A, B …) on PGlite holding the shipped content. Goal: the editor page within 3× of the article.
// EDITOR_BENCH_ROUNDS=N sets the rounds (default 40).
import { importBundle } from '../src/content/import.ts';
import { validateBundle } from '../src/content/validate.ts';
import { createChangeset, saveEntity, type Workspace } from '../src/editorial/changesets.service.ts';
import { buildApp } from '../src/server.ts';
import type { Actor } from '../src/accounts/types.ts';
import { ROLE_SCOPES } from '../src/accounts/types.ts';
import { pglite } from '../test/support/databases.ts';
import { createTestAccount, signIn } from '../test/support/accounts.ts';
import { SHIPPED } from '../test/support/bundles.ts';
import { TEST_SECRETS } from '../test/support/server.ts';
import { fixed, median, now, printTable, ratio, settle } from './harness.ts';

const ROUNDS = Number(process.env.EDITOR_BENCH_ROUNDS ?? 40);
const GOAL = 3;
const ENTITIES = 50;
const ARTICLE = '/articles/ai-initiatives-in-china';

const p95 = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;

export async function run(): Promise<void> {
  const db = await pglite.open();
  await importBundle(db, SHIPPED);
  const account = await createTestAccount(db, { email: 'bench-editor@example.org', role: 'editor' });
  const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { cookie } = await signIn(url, account.email, account.password);
    const actor: Actor = {
      accountId: account.id,
      email: account.email,
      name: 'bench',
      role: 'editor',
      scopes: new Set(ROLE_SCOPES.get('editor')),
      via: 'session',
    };
    const ws: Workspace = { db, selfApproval: false };
    const cs = await createChangeset(ws, actor, { title: 'Fifty instruments brought up to date' });
    const bundle = validateBundle(SHIPPED).bundle;
    if (!bundle) throw new Error('the shipped bundle is not valid');
    const t0 = now();
    for (const instrument of bundle.instruments.slice(0, ENTITIES)) {
      await saveEntity(ws, actor, cs.id, 'instrument', instrument.id, {
        ...instrument,
        summary: { en: `${instrument.summary.en} Reviewed.`, zh: `${instrument.summary.zh}（已复核）` },
      });
    }
    console.log(`${ENTITIES} entities saved in ${fixed((now() - t0) / 1000, 1)} s`);
    const editorPage = `/workspace/changesets/${cs.id}`;
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const t = now();
      const r = await app.inject({ method: 'GET', url: path, headers });
      if (r.statusCode !== 200) throw new Error(`${path} answered ${r.statusCode}`);
      return now() - t;
    };
    for (let i = 0; i < 5; i++) {
      await get(ARTICLE);
      await get(editorPage, { cookie });
    }
    const article: number[] = [];
    const editor: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      settle();
      article.push(await get(ARTICLE));
      settle();
      editor.push(await get(editorPage, { cookie }));
    }
    const r = median(editor) / median(article);
    printTable(
      ['page', 'median ms', 'p95 ms'],
      [
        ['article (anchor)', fixed(median(article), 1), fixed(p95(article), 1)],
        [`change set of ${ENTITIES} entities`, fixed(median(editor), 1), fixed(p95(editor), 1)],
      ],
    );
    console.log(`editor page ÷ article page: ${ratio(r)} (goal ≤ ${GOAL}×) — ${r <= GOAL ? 'met' : 'NOT MET'}`);
    if (r > GOAL) process.exitCode = 1;
  } finally {
    await app.close();
    await db.close();
  }
}
