// Subscribing and managing subscriptions from the watch page without JavaScript: plain form POSTs over HTTP against
// the real app, on both databases; an e-mail subscription is confirmed through the link of the e-mail the worker sends.
// Tokens travel in form bodies (and the confirmation link) only; answers are never cached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/config/config.ts';
import { createSubscription, validateSubscription } from '../../src/watch/subscriptions.service.ts';
import { deliverDue } from '../../src/watch/worker.ts';
import { databaseKinds } from '../support/databases.ts';
import { confirmationLink, followConfirmation, smtpSink } from '../support/mail.ts';
import { watchConfig } from '../support/watch-config.ts';
import { all, attrOf, has, one, parseHtml, text, textOf, type Root } from '../support/html.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../support/server.ts';

const kinds = await databaseKinds();

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** The <input> with this id. */
const input = (root: Root, id: string) => one(root, `input[id="${id}"]`, `an input #${id}`);

/** The form group (div or fieldset) around the field with this id. */
function groupOf(root: Root, id: string): Element {
  const group = one(root, `[id="${id}"]`, `#${id} is on the page`).closest('div.form-group, fieldset.form-group');
  assert.ok(group, `#${id} is in a form group`);
  return group;
}

/** Whether a comes before b in the document. */
const precedes = (root: Root, a: Element, b: Element) => {
  const order = all(root, '*');
  return order.indexOf(a) < order.indexOf(b);
};

/** The elements matching selector that come at or after `from` in the document (inside it or later). */
const from = (root: Root, start: Element, selector: string) =>
  all(root, selector).filter((e) => !precedes(root, e, start));

/** Whether some element matching selector has exactly this text and no attributes: `<li>text</li>`. */
const bare = (root: Root, selector: string, want: string) =>
  all(root, selector).some((e) => e.attributes.length === 0 && e.children.length === 0 && text(e) === want);

/** Whether some `<dd><code>want</code></dd>` is there. */
const ddCode = (root: Root, want: string) =>
  all(root, 'dd').some(
    (dd) => dd.attributes.length === 0 && dd.children.length === 1 && bare(dd, 'code', want) && text(dd) === want,
  );

/** Whether some `<li data-state="state">label <strong>n</strong></li>` is there. */
const stateCount = (root: Root, state: string, label: string, n: number) =>
  all(root, `li[data-state="${state}"]`).some(
    (li) => text(li) === `${label} ${n}` && bare(li, 'strong', String(n)) && li.children.length === 1,
  );

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
      const doc = parseHtml(body);
      for (const e of all(doc, '[action]')) assert.doesNotMatch(e.getAttribute('action') ?? '', /hzo_|token/);
      for (const e of all(doc, '[href]')) assert.doesNotMatch(e.getAttribute('href') ?? '', /hzo_|token=/);
    };

    it('/watch has the Subscribe and Manage forms, every input labelled, and how to verify webhooks', async () => {
      const res = await fetch(new URL('/watch', server.url));
      const body = await res.text();
      assert.equal(res.status, 200);
      const doc = parseHtml(body);
      const section = one(doc, 'section#subscriptions[aria-labelledby="subscriptions-heading"]');
      for (const [form, action] of [
        ['subscribe', '/watch/subscribe'],
        ['manage', '/watch/manage'],
      ] as const) {
        assert.equal(attrOf(doc, `form#${form}`, 'method'), 'post', form);
        assert.equal(attrOf(doc, `form#${form}`, 'action'), action, form);
      }
      one(doc, 'input#manage-token[type="password"][name="token"]');
      const webhooks = one(doc, 'section#webhooks');
      assert.equal(webhooks.firstElementChild?.matches('h3#webhooks-heading'), true);
      assert.equal(textOf(webhooks, 'h3#webhooks-heading'), 'Verifying webhooks');
      assert.equal(webhooks.firstChild?.textContent?.trim() ?? '', '', 'nothing before the heading');
      // Every input of the forms has a <label for>.
      const fields = from(doc, section, 'input, select').filter((e) => e.getAttribute('type') !== 'hidden');
      const labels = from(doc, section, 'label[for]').map((l) => l.getAttribute('for'));
      assert.ok(fields.length > 20);
      for (const field of fields) {
        assert.ok(field.id, 'every input has an id');
        assert.ok(labels.includes(field.id), `a label for #${field.id}`);
      }
      assert.ok(
        from(doc, section, 'legend').some((l) => l.innerHTML === 'Jurisdictions'),
        'a <legend>Jurisdictions</legend>',
      );
      const shanghai = one(doc, 'input#sub-j-cn-sh[type="checkbox"]');
      assert.ok(precedes(doc, section, shanghai));
      assert.match(shanghai.parentElement?.getAttribute('class') ?? '', /(^|\s)check-item check-depth-1$/);
      assert.equal(shanghai.parentElement?.firstElementChild, shanghai);
      assert.equal(shanghai.parentElement?.firstChild?.textContent?.trim() ?? '', '');
      assert.ok(textOf(doc, 'label[for="sub-k-status-changed"]').startsWith('An instrument’s status changes'));
      assert.ok(precedes(doc, section, one(doc, 'select#sub-instruments[name="instruments"][multiple]')));
      const zh = parseHtml(await (await fetch(new URL('/watch?lang=zh', server.url))).text());
      assert.equal(textOf(zh, 'h2#subscriptions-heading'), '通过电子邮件、Webhook 或私人订阅源订阅');
      assert.ok(has(zh, '[action="/watch/subscribe?lang=zh"]'));
      assert.ok(textOf(zh, 'label[for="sub-k-new-instrument"]').startsWith('新增文件'));
    });

    let token = '';
    let id = '';

    it('subscribes by e-mail: the owner token is shown once, the subscription waits for its confirmation link', async () => {
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
      const done = parseHtml(r.body);
      assert.equal(textOf(done, 'h1#done-title'), 'Confirm your e-mail address');
      assert.match(textOf(done, '#status-note'), /sending a confirmation link to reader@example\.com\. Nothing else/);
      assert.match(r.body, /shown only this once/);
      token = input(done, 'owner-token').getAttribute('value') ?? '';
      assert.match(token, /^hzo_/);
      assert.ok(OWNER.test(r.body));
      assert.ok(text(done).includes('Shanghai <rules>') && !has(done, 'rules'), 'the label, escaped');
      assert.ok(ddCode(done, 'reader@example.com'), '<dd><code>reader@example.com</code></dd>');
      assert.match(r.body, /A weekly digest \(Mondays\)/);
      assert.ok(bare(done, 'li', 'Shanghai Municipality'), '<li>Shanghai Municipality</li>');
      assert.match(r.body, /30 days before/);
      tokensOnlyInBodies(r.body);

      const listed = await api('/api/v1/subscriptions', token);
      assert.equal(listed.status, 200);
      assert.equal(listed.json.subscriptions.length, 1);
      const [sub] = listed.json.subscriptions;
      assert.ok(sub);
      assert.equal(sub.target, 'reader@example.com');
      assert.equal((sub as unknown as { status: string }).status, 'pending');
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

    it('the worker e-mails the confirmation link; its page confirms nothing until its button is pressed', async () => {
      const smtp = await smtpSink();
      try {
        const config = watchConfig({ publicUrl: server.url, allowPrivateWebhooks: false });
        assert.equal(
          await deliverDue(server.db, { config, secrets: TEST_SECRETS }, smtp.mailer),
          1,
          'one delivery: the confirmation',
        );
        assert.equal(smtp.mails.length, 1);
        const [mail] = smtp.mails;
        assert.ok(mail);
        assert.deepEqual(mail.to, ['reader@example.com']);
        const link = confirmationLink(mail) ?? '';
        assert.ok(link.startsWith(`${server.url}/watch/confirm?token=hzc_`), mail.text);
        // Opening the link (as a mail scanner does) shows the button and changes nothing.
        for (let i = 0; i < 2; i++) {
          const opened = await fetch(link);
          assert.equal(opened.status, 200);
          assert.equal(opened.headers.get('cache-control'), 'no-store');
          assert.equal(opened.headers.get('referrer-policy'), 'no-referrer');
          const page = parseHtml(await opened.text());
          assert.equal(textOf(page, 'h1'), 'Confirm your subscription');
          assert.match(textOf(page, '.lede'), /reader@example\.com/);
          assert.equal(attrOf(page, 'form#confirm', 'method'), 'post');
        }
        const status = async () =>
          (await api(`/api/v1/subscriptions/${id}`, token)).json as unknown as { status: string };
        assert.equal((await status()).status, 'pending', 'a GET confirms nothing');
        const followed = await followConfirmation(server.url, link);
        assert.equal(followed.confirmed, 200);
        assert.equal(textOf(parseHtml(followed.body), 'h1'), 'Subscription confirmed');
        assert.equal((await status()).status, 'active');
        // The link works once.
        const again = await followConfirmation(server.url, link);
        assert.deepEqual([again.page, again.confirmed], [404, 404]);
        assert.match(again.body, /This confirmation link is not valid/);
        assert.equal(
          await deliverDue(server.db, { config, secrets: TEST_SECRETS }, smtp.mailer),
          0,
          'nothing else is queued',
        );
      } finally {
        await smtp.close();
      }
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
      const page = parseHtml(r.body);
      assert.equal(textOf(page, 'title'), 'Error: Subscribe · Horizon');
      // The summary at the top links to the fields.
      const summary = one(page, 'div.error-summary');
      assert.match(text(summary), /There is a problem/);
      assert.ok(textOf(summary, 'a[href="#sub-email"]').startsWith('Enter an e-mail address in the right form'));
      assert.equal(textOf(summary, 'a[href="#sub-j-unknown-0"]'), 'There is no jurisdiction “xx-nowhere”');
      assert.equal(textOf(summary, 'a[href="#sub-effective"]'), 'Enter a whole number of days from 1 to 366');
      assert.ok(precedes(page, summary, one(page, '#subscribe')), 'the summary comes before the form');
      // Each message is in its field's group, and the input points at it.
      const emailGroup = groupOf(page, 'sub-email');
      assert.ok(emailGroup.classList.contains('form-group-error'));
      const emailError = one(emailGroup, '#sub-email-error');
      assert.equal(textOf(emailError, 'strong'), 'Error:');
      assert.match(text(emailError), /^Error: Enter/);
      const email = input(page, 'sub-email');
      assert.equal(email.getAttribute('value'), 'not-an-address');
      assert.equal(email.getAttribute('aria-invalid'), 'true');
      assert.equal(email.getAttribute('aria-describedby'), 'sub-email-hint sub-email-error');
      const jurisdictions = one(
        page,
        'fieldset.form-group.form-group-error#sub-jurisdictions',
        'the jurisdictions group is marked',
      );
      assert.match(text(jurisdictions), /There is no jurisdiction “xx-nowhere”/);
      assert.ok(input(page, 'sub-j-cn-sh').hasAttribute('checked'), 'the ticked jurisdiction stays ticked');
      assert.equal(input(page, 'sub-j-unknown-0').getAttribute('value'), 'xx-nowhere');
      assert.ok(input(page, 'sub-j-unknown-0').hasAttribute('checked'));
      assert.ok(!input(page, 'sub-j-cn-bj').hasAttribute('checked'));
      assert.ok(input(page, 'sub-k-new-event').hasAttribute('checked'));
      assert.equal(input(page, 'sub-effective').getAttribute('value'), '0');
      assert.equal(input(page, 'sub-label').getAttribute('value'), 'kept label');
      assert.ok(input(page, 'sub-channel-email').hasAttribute('checked'));
      assert.ok(
        !groupOf(page, 'sub-url').classList.contains('form-group-error'),
        'fields without problems are not marked',
      );

      // In Chinese.
      const zh = await post('/watch/subscribe?lang=zh', [
        ['channel', 'webhook'],
        ['url', ''],
        ['digest', 'daily'],
      ]);
      assert.equal(zh.status, 400);
      assert.match(zh.body, /存在问题/);
      assert.equal(textOf(parseHtml(zh.body), 'a[href="#sub-url"]'), '请填写 Webhook 地址');
      assert.match(zh.body, /每日和每周摘要仅适用于电子邮件/);
      assert.equal(await count(), before);
    });

    it('a webhook that names a private address is refused (the API’s options apply)', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'webhook'],
        ['url', 'http://127.0.0.1:9/hook'],
      ]);
      assert.equal(r.status, 400);
      const page = parseHtml(r.body);
      assert.ok(textOf(page, 'a[href="#sub-url"]').startsWith('This webhook URL cannot be used: '));
      assert.equal(input(page, 'sub-url').getAttribute('value'), 'http://127.0.0.1:9/hook');
    });

    it('a Chinese page gives the refusal in Chinese, without English words from the server', async () => {
      const r = await post('/watch/subscribe?lang=zh', [
        ['channel', 'webhook'],
        ['url', 'http://127.0.0.1:9/hook'],
      ]);
      assert.equal(r.status, 400);
      const page = parseHtml(r.body);
      assert.ok(
        textOf(page, 'a[href="#sub-url"]').startsWith(
          '此 Webhook 地址不可用：Webhook 地址 127.0.0.1 是环回地址；Webhook 只能发往公网地址',
        ),
        textOf(page, 'a[href="#sub-url"]'),
      );
      assert.match(text(groupOf(page, 'sub-url')), /Webhook 地址 127\.0\.0\.1 是环回地址/, 'next to its field too');
      assert.doesNotMatch(r.body, /webhooks go only to public addresses|loopback/);
    });

    // Each refusal of the Chinese form, table-driven: the summary's every line (and so its field's) is Chinese.
    const REFUSED: readonly { name: string; form: readonly (readonly [string, string])[]; anchor: string }[] = [
      { name: 'no channel', form: [['channel', '']], anchor: '#sub-channel-email' },
      {
        name: 'no address',
        form: [
          ['channel', 'email'],
          ['email', ''],
        ],
        anchor: '#sub-email',
      },
      {
        name: 'a bad address',
        form: [
          ['channel', 'email'],
          ['email', 'nobody'],
        ],
        anchor: '#sub-email',
      },
      {
        name: 'no webhook url',
        form: [
          ['channel', 'webhook'],
          ['url', ''],
        ],
        anchor: '#sub-url',
      },
      {
        name: 'a url that is not one',
        form: [
          ['channel', 'webhook'],
          ['url', 'not a url'],
        ],
        anchor: '#sub-url',
      },
      {
        name: 'an ftp url',
        form: [
          ['channel', 'webhook'],
          ['url', 'ftp://example.com/x'],
        ],
        anchor: '#sub-url',
      },
      {
        name: 'a digest not by e-mail',
        form: [
          ['channel', 'atom'],
          ['digest', 'weekly'],
        ],
        anchor: '#sub-digest-none',
      },
      {
        name: 'an unknown jurisdiction',
        form: [
          ['channel', 'atom'],
          ['jurisdictions', 'xx-nowhere'],
        ],
        anchor: '#sub-j-unknown-0',
      },
      {
        name: 'an unknown kind',
        form: [
          ['channel', 'atom'],
          ['kinds', 'rumour'],
        ],
        anchor: '#sub-k-unknown-0',
      },
      {
        name: 'days out of range',
        form: [
          ['channel', 'atom'],
          ['effective_in_days', '0'],
        ],
        anchor: '#sub-effective',
      },
      {
        name: 'days not a number',
        form: [
          ['channel', 'atom'],
          ['comment_deadline_in_days', 'soon'],
        ],
        anchor: '#sub-deadline',
      },
      {
        name: 'a long label',
        form: [
          ['channel', 'atom'],
          ['label', 'x'.repeat(201)],
        ],
        anchor: '#sub-label',
      },
      {
        name: 'an owner token that owns nothing',
        form: [
          ['channel', 'atom'],
          ['owner_token', 'hzo_nobody'],
        ],
        anchor: '#sub-owner-token',
      },
    ];
    for (const r of REFUSED) {
      it(`the Chinese form refuses ${r.name} in Chinese`, async () => {
        const answer = await post('/watch/subscribe?lang=zh', r.form);
        assert.equal(answer.status, 400);
        const page = parseHtml(answer.body);
        const links = all(page, '#error-summary a');
        assert.ok(links.length > 0, 'an error summary');
        assert.ok(
          links.some((a) => a.getAttribute('href') === r.anchor),
          links.map((a) => a.getAttribute('href')).join(' '),
        );
        for (const a of links) {
          assert.match(text(a), /\p{Script=Han}/u, text(a));
          assert.doesNotMatch(text(a), /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/, text(a));
        }
      });
    }

    it('the Chinese form refuses a post from another site in Chinese', async () => {
      const r = await post('/watch/subscribe?lang=zh', [['channel', 'atom']], { 'sec-fetch-site': 'cross-site' });
      assert.equal(r.status, 403);
      const main = text(one(parseHtml(r.body), 'main'));
      assert.match(main, /\p{Script=Han}/u);
      assert.doesNotMatch(main, /Horizon’s own pages/);
    });

    it('says "1 day before" for one day', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'atom'],
        ['effective_in_days', '1'],
        ['comment_deadline_in_days', '2'],
      ]);
      assert.equal(r.status, 200);
      const page = parseHtml(r.body);
      assert.ok(bare(page, 'dd', '1 day before'), '<dd>1 day before</dd>');
      assert.ok(bare(page, 'dd', '2 days before'), '<dd>2 days before</dd>');
      assert.doesNotMatch(r.body, /1 days before/);
    });

    it('an Atom subscription shows its private feed address, absolute; an unknown owner token is refused', async () => {
      const r = await post('/watch/subscribe', [
        ['channel', 'atom'],
        ['topics', 'ai-industry-promotion'],
        ['owner_token', token],
      ]);
      assert.equal(r.status, 200);
      const page = parseHtml(r.body);
      const feed = input(page, 'feed-url').getAttribute('value') ?? '';
      assert.match(feed, new RegExp(`^${server.url}/feeds/subscriptions/s_[\\w-]+\\.atom\\?token=hzf_`));
      assert.ok(!has(page, '[id="owner-token"]'), 'no new owner token when one was given');
      assert.match(r.body, /added to those of the owner token you gave/);
      assert.equal((await api('/api/v1/subscriptions', token)).json.subscriptions.length, 2);

      const before = await count();
      const wrong = await post('/watch/subscribe', [
        ['channel', 'ical'],
        ['owner_token', 'hzo_nobody-has-this-one'],
      ]);
      assert.equal(wrong.status, 400);
      assert.ok(
        textOf(parseHtml(wrong.body), 'a[href="#sub-owner-token"]').startsWith(
          'No subscriptions belong to this owner token',
        ),
      );
      assert.equal(await count(), before);
    });

    it('manage lists the owner’s subscriptions; a missing or wrong token is refused (403)', async () => {
      const r = await post('/watch/manage', [['token', token]]);
      assert.equal(r.status, 200);
      privateHeaders(r);
      const page = parseHtml(r.body);
      assert.equal(textOf(page, 'h1#manage-title'), 'Your subscriptions');
      assert.ok(has(page, `[data-subscription="${id}"]`));
      assert.ok(ddCode(page, 'reader@example.com'), '<dd><code>reader@example.com</code></dd>');
      assert.ok(stateCount(page, 'dead', 'failed:', 0), '<li data-state="dead">failed: <strong>0</strong></li>');
      assert.match(r.body, /A feed is read by your reader/);
      assert.ok(has(page, `[action="/watch/subscriptions/${id}/delete"]`));
      assert.ok(has(page, `input[type="hidden"][name="token"][value="${token}"]`));
      tokensOnlyInBodies(r.body);

      const wrong = await post('/watch/manage', [['token', 'hzo_not-a-real-token']]);
      assert.equal(wrong.status, 403);
      privateHeaders(wrong);
      assert.match(wrong.body, /This token does not give access/);
      assert.ok(has(parseHtml(wrong.body), 'form#manage'), 'with the form to try again');
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
      // Nothing listens on port 9: the verification handshake fails, the webhook stays unverified.
      const created = await createSubscription(server.db, valid, token, {
        client: '127.0.0.1',
        lang: 'en',
        limits: DEFAULT_LIMITS,
        handshake: { allowPrivate: true, timeoutMs: 2000 },
        secrets: TEST_SECRETS,
      });
      assert.equal(created.subscription.status, 'unverified');
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
      const item = one(parseHtml(r.body), `li.sub-item[id="sub-${hook}"]`, 'the webhook subscription is listed');
      assert.ok(stateCount(item, 'dead', 'failed:', 1), '<li data-state="dead">failed: <strong>1</strong></li>');
      assert.ok(stateCount(item, 'delivered', 'delivered:', 1), 'delivered: <strong>1</strong>');
      const dead = one(item, `tr[data-delivery="${delivery}"]`, 'the dead letter is listed');
      assert.ok(bare(dead, 'td', '8'), '<td>8</td>');
      assert.ok(text(dead).includes('HTTP 500: receiver <down>') && !has(dead, 'down'), 'the error, escaped');
      assert.ok(has(dead, `[action="/watch/subscriptions/${hook}/deliveries/${delivery}/retry"]`));
      assert.match(textOf(item, '.sub-status[data-status="unverified"]'), /^Not verified: .*network error/);
      assert.ok(has(item, `form.verify-form[action="/watch/subscriptions/${hook}/verify"]`), 'a Verify again button');

      // Verify again: this server refuses loopback receivers, so it stays unverified, and says why.
      const verify = await post(`/watch/subscriptions/${hook}/verify`, [['token', token]]);
      assert.equal(verify.status, 200);
      privateHeaders(verify);
      assert.match(
        textOf(parseHtml(verify.body), '.flash'),
        new RegExp(`Subscription ${hook} is still not verified: .*loopback`),
      );
      assert.equal((await post(`/watch/subscriptions/${hook}/verify`, [['token', 'hzo_someone-else']])).status, 403);

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
      assert.ok(!has(parseHtml(retried.body), `tr[data-delivery="${delivery}"]`));

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
      assert.ok(!has(parseHtml(r.body), `[data-subscription="${id}"]`));
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
      assert.match(own.body, /sending a confirmation link to victim@example\.com/, 'pending its confirmation');
      assert.equal(await count(), before + 1);
    });
  });
}
