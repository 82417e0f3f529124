// Every refusal of the API, asked for with ?lang=zh, is worded in Chinese: the error's message and each problem's (no
// English sentence), while `code` and each problem's `where` stay what they are in English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface ErrorBody {
  error: { code: string; message: string; problems?: { where: string; message: string }[] };
}

interface Refusal {
  readonly name: string;
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
  readonly status: number;
  readonly code: string;
  /** The first problem's field path. */
  readonly where?: string;
}

/** Three ASCII words in a row make an English sentence (codes, paths, lists of codes and "Webhook" do not). */
const ENGLISH = /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/;
const CHINESE = /\p{Script=Han}/u;

const sub = (body: unknown, extra: Partial<Refusal> & { name: string; where: string }): Refusal => ({
  method: 'POST',
  path: '/api/v1/subscriptions?lang=zh',
  body,
  status: 400,
  code: 'invalid_parameter',
  ...extra,
});

const REFUSALS: readonly Refusal[] = [
  sub({ channel: 'email' }, { name: 'an e-mail subscription without an address', where: 'email' }),
  sub({ channel: 'email', email: 'nobody' }, { name: 'an address that is not one', where: 'email' }),
  sub({ channel: 'webhook' }, { name: 'a webhook without a url', where: 'url' }),
  sub({ channel: 'atom', url: 'https://example.com/hook' }, { name: 'a url on a feed', where: 'url' }),
  sub({ channel: 'atom', email: 'a@example.com' }, { name: 'an address on a feed', where: 'email' }),
  sub({ channel: 'atom', digest: 'daily' }, { name: 'a digest not by e-mail', where: 'digest' }),
  sub(
    { channel: 'atom', watch: { jurisdictions: ['xx-nowhere'] } },
    { name: 'an unknown code', where: 'watch.jurisdictions.0' },
  ),
  sub(
    { channel: 'atom', watch: { effective_in_days: 0 } },
    { name: 'days out of range', where: 'watch.effective_in_days' },
  ),
  sub(
    { channel: 'atom', watch: { profile: { id: 'p_nope', token: 'nope' } } },
    { name: 'an unknown profile', where: 'watch.profile' },
  ),
  sub({ channel: 'pigeon' }, { name: 'an unknown channel (the schema)', where: 'channel' }),
  sub({ channel: 'atom', colour: 'red' }, { name: 'an unknown field (the schema)', where: 'colour' }),
  sub(
    { channel: 'atom' },
    {
      name: 'an owner token that owns nothing',
      where: 'owner_token',
      token: 'hzo_nobody',
      status: 403,
      code: 'forbidden',
    },
  ),
  { name: 'listing without a token', path: '/api/v1/subscriptions?lang=zh', status: 403, code: 'forbidden' },
  {
    name: 'a subscription that does not exist',
    path: '/api/v1/subscriptions/s_nope?lang=zh',
    token: 'hzo_nobody',
    status: 404,
    code: 'not_found',
  },
  { name: 'a route that does not exist', path: '/api/v1/no-such-route?lang=zh', status: 404, code: 'not_found' },
  { name: 'an empty query', path: '/api/v1/search?lang=zh&q=%20', status: 400, code: 'invalid_parameter', where: 'q' },
  {
    name: 'a query that only excludes',
    path: '/api/v1/search?lang=zh&q=-ai',
    status: 400,
    code: 'invalid_parameter',
    where: 'q',
  },
  {
    name: 'a query of punctuation',
    path: '/api/v1/search?lang=zh&q=%21%21',
    status: 400,
    code: 'invalid_parameter',
    where: 'q',
  },
  {
    name: 'a profile field that does not exist',
    method: 'POST',
    path: '/api/v1/check?lang=zh',
    body: { colour: 'red' },
    status: 400,
    code: 'invalid_profile',
    where: 'colour',
  },
  {
    name: 'a profile value not among the allowed',
    method: 'POST',
    path: '/api/v1/check?lang=zh',
    body: { product: { riskLevel: 'extreme' } },
    status: 400,
    code: 'invalid_profile',
    where: 'product.riskLevel',
  },
  {
    name: 'a saved profile with an unknown field',
    method: 'POST',
    path: '/api/v1/profiles?lang=zh',
    body: { profile: { colour: 'red' } },
    status: 400,
    code: 'invalid_profile',
    where: 'profile.colour',
  },
  {
    name: 'a feed parameter given twice',
    path: '/feeds/all.atom?lang=zh&kind=new-event&kind=new-instrument',
    status: 400,
    code: 'invalid_parameter',
    where: 'kind',
  },
  {
    name: 'an unknown kind of change in a feed',
    path: '/feeds/all.atom?lang=zh&kind=rumour',
    status: 400,
    code: 'invalid_parameter',
    where: 'kind',
  },
];

for (const kind of await databaseKinds()) {
  describe(`API refusals in Chinese on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    for (const r of REFUSALS) {
      it(r.name, async () => {
        const res = await fetch(new URL(r.path, server.url), {
          method: r.method ?? 'GET',
          headers: {
            ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
          },
          ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
        });
        const text = await res.text();
        assert.equal(res.status, r.status, text);
        const body = JSON.parse(text) as ErrorBody;
        assert.equal(body.error.code, r.code, text);
        if (r.where !== undefined) assert.equal(body.error.problems?.[0]?.where, r.where, text);
        for (const message of [body.error.message, ...(body.error.problems ?? []).map((p) => p.message)]) {
          assert.match(message, CHINESE, text);
          assert.doesNotMatch(message, ENGLISH, text);
        }
      });
    }
  });
}
