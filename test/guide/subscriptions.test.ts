// Subscribing and managing subscriptions from the watch page without JavaScript: plain form POSTs over HTTP against
// the real app, on both databases. Tokens travel in form bodies only; answers are never cached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSubscription, validateSubscription } from '../../src/watch/subscriptions.service.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const kinds = await databaseKinds();

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The attributes of the <input> with this id. */
function input(body: string, id: string): string {
  const m = [...body.matchAll(/<input\b([^>]*)>/g)].find((x) => new RegExp(`\\bid="${id}"`).test(x[1] ?? ''));
  assert.ok(m, `an input #${id}`);
  return m[1] ?? '';
}

const valueOf = (attrs: string) => decode(/\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? '');

/** The form group (div or fieldset) around the field with this id. */
function groupOf(body: string, id: string): string {
  const at = body.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `#${id} is on the page`);
  const start = Math.max(
    body.lastIndexOf('<div class="form-group', at),
    body.lastIndexOf('<fieldset class="form-group', at),
  );
  return body.slice(start, at + 400);
}

const OWNER = /\b(hzo_[A-Za-z0-9_-]{20,})\b/;

for (const kind of kinds) {
  describe(`subscription forms on /watch (${kind.name})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const post = async (
      path: string,
      form: readonly (readonly [string, string])[],
      headers: Record<string, string> = {},
    ): Promise<Answer> => {
      const res = await fetch(new URL(path, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form.map(([k, v]) => [k, v])),
        redirect: 'manual',
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const api = async (path: string, token: string) => {
      const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, json: (await res.json()) as { subscriptions: { id: string; target?: string }[] } };
    };
    const count = async () =>
      Number((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subscriptions'))[0]?.n);
    const privateHeaders = (r: Answer) => {
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
      assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    };
    /** No form sends a token in its address. */
    const tokensOnlyInBodies = (body: string) => {
      for (const m of body.matchAll(/\baction="([^"]*)"/g)) assert.doesNotMatch(m[1] ?? '', /hzo_|token/);
      for (const m of body.matchAll(/\bhref="([^"]*)"/g)) assert.doesNotMatch(m[1] ?? '', /hzo_|token=/);
    };

    it('/watch has the Subscribe and Manage forms, every input labelled, and how to verify webhooks', async () => {
      const res = await fetch(new URL('/watch', server.url));
      const body = await res.text();
      assert.equal(res.status, 200);
      assert.match(body, /<section aria-labelledby="subscriptions-heading" id="subscriptions"/);
      assert.match(body, /<form\s+id="subscribe"[^>]*method="post"[^>]*action="\/watch\/subscribe"/);
      assert.match(body, /<form\s+id="manage"[^>]*method="post"[^>]*action="\/watch\/manage"/);
      assert.match(body, /<input\s+type="password"\s+id="manage-token"\s+name="token"/);
      assert.match(body, /<section id="webhooks"[^>]*>\s*<h3 id="webhooks-heading">Verifying webhooks<\/h3>/);
      // Every input of the forms has a <label for>.
      const forms = body.slice(body.indexOf('id="subscriptions"'));
      const ids = [...forms.matchAll(/<(?:input|select)\b([^>]*)>/g)]
        .map((m) => m[1] ?? '')
        .filter((a) => !/type="hidden"/.test(a))
        .map((a) => /\bid="([^"]*)"/.exec(a)?.[1]);
      assert.ok(ids.length > 20);
      for (const id of ids) {
        assert.ok(id, 'every input has an id');
        assert.match(forms, new RegExp(`<label\\b[^>]*\\bfor="${id}"`), `a label for #${id}`);
      }
      assert.match(forms, /<legend>Jurisdictions<\/legend>/);
      assert.match(forms, /class="check-item check-depth-1">\s*<input\s+type="checkbox"\s+id="sub-j-cn-sh"/);
      assert.match(forms, /<label for="sub-k-status-changed"\s*>An instrument’s status changes/);
      assert.match(forms, /<select id="sub-instruments" name="instruments" multiple/);
      const zh = await (await fetch(new URL('/watch?lang=zh', server.url))).text();
      assert.match(zh, /<h2 id="subscriptions-heading">通过电子邮件、Webhook 或私人订阅源订阅<\/h2>/);
      assert.match(zh, /action="\/watch\/subscribe\?lang=zh"/);
      assert.match(zh, /<label for="sub-k-new-instrument"\s*>新增文件/);
    });

    let token = '';
    let id = '';

    it('subscribes by e-mail: the owner token is shown once, and the subscription is in the API', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'email'],
        ['email', 'reader@example.com'],
        ['digest', 'weekly'],
        ['jurisdictions', 'cn-sh'],
        ['kinds', 'status-changed'],
        ['kinds', 'effective-soon'],
        ['effective_in_days', '30'],
        ['label', 'Shanghai <rules>'],
        ['url', 'ignored for e-mail'],
      ]);
      assert.equal(r.status, 200, r.body.slice(0, 500));
      privateHeaders(r);
      assert.match(r.body, /<h1 id="done-title">You are subscribed<\/h1>/);
      assert.match(r.body, /shown only this once/);
      token = valueOf(input(r.body, 'owner-token'));
      assert.match(token, /^hzo_/);
      assert.ok(OWNER.test(r.body));
      assert.match(r.body, /Shanghai &lt;rules&gt;/, 'the label, escaped');
      assert.match(r.body, /<dd><code>reader@example.com<\/code><\/dd>/);
      assert.match(r.body, /A weekly digest \(Mondays\)/);
      assert.match(r.body, /<li>Shanghai Municipality<\/li>/);
      assert.match(r.body, /30 days before/);
      tokensOnlyInBodies(r.body);

      const listed = await api('/api/v1/subscriptions', token);
      assert.equal(listed.status, 200);
      assert.equal(listed.json.subscriptions.length, 1);
      const [sub] = listed.json.subscriptions;
      assert.ok(sub);
      assert.equal(sub.target, 'reader@example.com');
      id = sub.id;
      assert.deepEqual((sub as unknown as { watch: unknown }).watch, {
        jurisdictions: ['cn-sh'],
        topics: [],
        instruments: [],
        programmes: [],
        kinds: ['status-changed', 'effective-soon'],
        effective_in_days: 30,
      });
    });

    it('an invalid form comes back (400) with each problem next to its field, the values kept, nothing stored', async () => {
      const before = await count();
      const r = await post('/watch/subscribe', [
        ['channel', 'email'],
        ['email', 'not-an-address'],
        ['jurisdictions', 'cn-sh'],
        ['jurisdictions', 'xx-nowhere'],
        ['kinds', 'new-event'],
        ['effective_in_days', '0'],
        ['label', 'kept label'],
      ]);
      assert.equal(r.status, 400);
      privateHeaders(r);
      assert.equal(await count(), before, 'nothing stored');
      assert.match(r.body, /<title>Error: Subscribe · Horizon<\/title>/);
      // The summary at the top links to the fields.
      const summary = /<div\s+class="error-summary"[\s\S]*?<\/div>/.exec(r.body)?.[0] ?? '';
      assert.match(summary, /There is a problem/);
      assert.match(summary, /<a href="#sub-email">Enter an e-mail address in the right form/);
      assert.match(summary, /<a href="#sub-j-unknown-0">There is no jurisdiction “xx-nowhere”<\/a>/);
      assert.match(summary, /<a href="#sub-effective">Enter a whole number of days from 1 to 366<\/a>/);
      assert.ok(
        r.body.indexOf('class="error-summary"') < r.body.indexOf('id="subscribe"'),
        'the summary comes before the form',
      );
      // Each message is in its field's group, and the input points at it.
      assert.match(
        groupOf(r.body, 'sub-email'),
        /form-group-error[\s\S]*id="sub-email-error"[\s\S]*Error:<\/strong> Enter/,
      );
      const email = input(r.body, 'sub-email');
      assert.equal(valueOf(email), 'not-an-address');
      assert.match(email, /aria-invalid="true"/);
      assert.match(email, /aria-describedby="sub-email-hint sub-email-error"/);
      const jurisdictions =
        /<fieldset class="form-group form-group-error" id="sub-jurisdictions"[\s\S]*?<\/fieldset>/.exec(r.body)?.[0];
      assert.ok(jurisdictions, 'the jurisdictions group is marked');
      assert.match(jurisdictions, /There is no jurisdiction “xx-nowhere”/);
      assert.match(input(r.body, 'sub-j-cn-sh'), /\bchecked\b/, 'the ticked jurisdiction stays ticked');
      assert.match(input(r.body, 'sub-j-unknown-0'), /value="xx-nowhere"[\s\S]*checked/);
      assert.doesNotMatch(input(r.body, 'sub-j-cn-bj'), /\bchecked\b/);
      assert.match(input(r.body, 'sub-k-new-event'), /\bchecked\b/);
      assert.equal(valueOf(input(r.body, 'sub-effective')), '0');
      assert.equal(valueOf(input(r.body, 'sub-label')), 'kept label');
      assert.match(input(r.body, 'sub-channel-email'), /\bchecked\b/);
      assert.doesNotMatch(groupOf(r.body, 'sub-url'), /form-group-error/, 'fields without problems are not marked');

      // In Chinese.
      const zh = await post('/watch/subscribe?lang=zh', [
        ['channel', 'webhook'],
        ['url', ''],
        ['digest', 'daily'],
      ]);
      assert.equal(zh.status, 400);
      assert.match(zh.body, /存在问题/);
      assert.match(zh.body, /<a href="#sub-url">请填写 Webhook 地址<\/a>/);
      assert.match(zh.body, /每日和每周摘要仅适用于电子邮件/);
      assert.equal(await count(), before);
    });

    it('a webhook that names a private address is refused (the API’s options apply)', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'webhook'],
        ['url', 'http://127.0.0.1:9/hook'],
      ]);
      assert.equal(r.status, 400);
      assert.match(r.body, /<a href="#sub-url">This webhook URL cannot be used: /);
      assert.equal(valueOf(input(r.body, 'sub-url')), 'http://127.0.0.1:9/hook');
    });

    it('an Atom subscription shows its private feed address, absolute; an unknown owner token is refused', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'atom'],
        ['topics', 'ai-industry-promotion'],
        ['owner_token', token],
      ]);
      assert.equal(r.status, 200);
      const feed = valueOf(input(r.body, 'feed-url'));
      assert.match(feed, new RegExp(`^${server.url}/feeds/subscriptions/s_[\\w-]+\\.atom\\?token=hzf_`));
      assert.doesNotMatch(r.body, /id="owner-token"/, 'no new owner token when one was given');
      assert.match(r.body, /added to those of the owner token you gave/);
      assert.equal((await api('/api/v1/subscriptions', token)).json.subscriptions.length, 2);

      const before = await count();
      const wrong = await post('/watch/subscribe', [
        ['channel', 'ical'],
        ['owner_token', 'hzo_nobody-has-this-one'],
      ]);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body, /<a href="#sub-owner-token">No subscriptions belong to this owner token/);
      assert.equal(await count(), before);
    });

    it('manage lists the owner’s subscriptions; a missing or wrong token is refused (403)', async () => {
      const r = await post('/watch/manage', [['token', token]]);
      assert.equal(r.status, 200);
      privateHeaders(r);
      assert.match(r.body, /<h1 id="manage-title">Your subscriptions<\/h1>/);
      assert.match(r.body, new RegExp(`data-subscription="${id}"`));
      assert.match(r.body, /<dd><code>reader@example.com<\/code><\/dd>/);
      assert.match(r.body, /<li data-state="dead">failed: <strong>0<\/strong><\/li>/);
      assert.match(r.body, /A feed is read by your reader/);
      assert.match(r.body, new RegExp(`action="/watch/subscriptions/${id}/delete"`));
      assert.match(r.body, new RegExp(`<input type="hidden" name="token" value="${token}" />`));
      tokensOnlyInBodies(r.body);

      const wrong = await post('/watch/manage', [['token', 'hzo_not-a-real-token']]);
      assert.equal(wrong.status, 403);
      privateHeaders(wrong);
      assert.match(wrong.body, /This token does not give access/);
      assert.match(wrong.body, /<form\s+id="manage"/, 'with the form to try again');
      assert.doesNotMatch(wrong.body, /reader@example.com/);
      const missing = await post('/watch/manage', []);
      assert.equal(missing.status, 403);
      assert.match(missing.body, /Enter your owner token/);

      // Asked for with GET (a reload, the language switch): back to the form, nothing listed.
      const get = await fetch(new URL('/watch/manage?lang=zh', server.url), { redirect: 'manual' });
      assert.equal(get.status, 303);
      assert.equal(get.headers.get('location'), '/watch?lang=zh#manage');
    });

    it('a dead delivery shows on the manage page and Retry queues it again', async () => {
      const valid = await validateSubscription(
        server.db,
        { channel: 'webhook', url: 'http://127.0.0.1:9/hook', label: 'Receiver' },
        { allowPrivateWebhooks: true },
      );
      const created = await createSubscription(server.db, valid, token);
      const hook = created.subscription.id;
      const [row] = await server.db.query<{ id: number }>(
        `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload, state, attempts, last_error)
         VALUES ($1, $2, 'webhook', '{"events":[]}', 'dead', 8, 'HTTP 500: receiver <down>') RETURNING id`,
        [`hz_test_${hook}`, hook],
      );
      const delivery = Number(row?.id);
      await server.db.query(
        `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload, state, delivered_at)
         VALUES ($1, $2, 'webhook', '{"events":[]}', 'delivered', now())`,
        [`hz_test_ok_${hook}`, hook],
      );

      const r = await post('/watch/manage', [['token', token]]);
      assert.equal(r.status, 200);
      const item = new RegExp(
        `<li class="sub-item" id="sub-${hook}"[\\s\\S]*?</li>\\s*(?:<li class="sub-item"|</ol>)`,
      ).exec(r.body)?.[0];
      assert.ok(item, 'the webhook subscription is listed');
      assert.match(item, /<li data-state="dead">failed: <strong>1<\/strong><\/li>/);
      assert.match(item, /<li data-state="delivered">delivered: <strong>1<\/strong><\/li>/);
      const dead = new RegExp(`<tr data-delivery="${delivery}">[\\s\\S]*?</tr>`).exec(item)?.[0];
      assert.ok(dead, 'the dead letter is listed');
      assert.match(dead, /<td>8<\/td>/);
      assert.match(dead, /HTTP 500: receiver &lt;down&gt;/);
      assert.match(dead, new RegExp(`action="/watch/subscriptions/${hook}/deliveries/${delivery}/retry"`));

      // Another owner's token cannot retry it.
      const stranger = await post(`/watch/subscriptions/${hook}/deliveries/${delivery}/retry`, [
        ['token', 'hzo_someone-else'],
      ]);
      assert.equal(stranger.status, 403);

      const retried = await post(`/watch/subscriptions/${hook}/deliveries/${delivery}/retry`, [['token', token]]);
      assert.equal(retried.status, 200);
      privateHeaders(retried);
      assert.match(retried.body, new RegExp(`Delivery ${delivery} was put back in the queue`));
      const [state] = await server.db.query<{ state: string; attempts: number }>(
        'SELECT state, attempts FROM outbox WHERE id = $1',
        [delivery],
      );
      assert.equal(state?.state, 'pending');
      assert.equal(Number(state?.attempts), 0);
      assert.doesNotMatch(retried.body, new RegExp(`<tr data-delivery="${delivery}">`));

      const again = await post(`/watch/subscriptions/${hook}/deliveries/${delivery}/retry`, [['token', token]]);
      assert.equal(again.status, 409);
      assert.match(again.body, /is not a failed delivery any more/);
      const unknown = await post(`/watch/subscriptions/${hook}/deliveries/999999/retry`, [['token', token]]);
      assert.equal(unknown.status, 404);
    });

    it('Delete removes a subscription; a wrong token is refused and an unknown id is not found', async () => {
      const stranger = await post(`/watch/subscriptions/${id}/delete`, [['token', 'hzo_someone-else']]);
      assert.equal(stranger.status, 403);
      privateHeaders(stranger);
      const unknown = await post('/watch/subscriptions/s_nonexistent/delete', [['token', token]]);
      assert.equal(unknown.status, 404);
      privateHeaders(unknown);
      assert.equal((await api('/api/v1/subscriptions', token)).json.subscriptions.length, 3);

      const r = await post(`/watch/subscriptions/${id}/delete`, [['token', token]]);
      assert.equal(r.status, 200);
      privateHeaders(r);
      assert.match(r.body, new RegExp(`Subscription ${id} was deleted\\.`));
      assert.doesNotMatch(r.body, new RegExp(`data-subscription="${id}"`));
      const left = (await api('/api/v1/subscriptions', token)).json.subscriptions;
      assert.equal(left.length, 2);
      assert.ok(!left.some((s) => s.id === id));
    });

    it('form bodies are parsed only by the guide: the JSON API still refuses them', async () => {
      const r = await post('/api/v1/subscriptions', [['channel', 'email']]);
      assert.equal(r.status, 415);
      const big = await post('/watch/subscribe', [['label', 'x'.repeat(70 * 1024)]]);
      assert.equal(big.status, 413);
    });

    it('refuses forms posted from another site (Origin or Sec-Fetch-Site), storing nothing', async () => {
      const before = await count();
      const form = [
        ['channel', 'email'],
        ['email', 'victim@example.com'],
      ] as const;
      const foreign = await post('/watch/subscribe', form, { origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.match(foreign.body, /only be sent from Horizon/);
      const crossSite = await post('/watch/subscribe', form, { 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.status, 403);
      assert.equal(await count(), before);
      const own = await post('/watch/subscribe', form, { origin: new URL(server.url).origin });
      assert.equal(own.status, 200);
      assert.equal(await count(), before + 1);
    });
  });
}
