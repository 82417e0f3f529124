// E-mail delivery against a real SMTP server in this process (smtp-server on a loopback port): what arrives, and how
// rejections classify; and the alert and digest messages themselves.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { alertEmail, confirmationEmail, createMailer, type Mailer } from '../../src/watch/deliver/email.ts';
import type { StoredEvent } from '../../src/watch/types.ts';
import { htmlAttrs, parseHtml, text } from '../support/html.ts';
import { readMessage, type Arrived } from '../support/mail.ts';

const PUBLIC_URL = 'https://horizon.example.org';

function event(id: number, slug: string, en: string, zh: string, extra: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id,
    kind: 'new-instrument',
    key: `new-instrument:${slug}`,
    occurredAt: '2026-01-05T02:00:00.000Z',
    instrument: slug,
    topics: [],
    programmes: [],
    title: { en, zh },
    summary: { en: `${en}: what changed.`, zh: `${zh}：有何变化。` },
    path: `/instruments/${slug}`,
    ...extra,
  };
}

const SHENZHEN = event(
  1,
  'cn-gd-shenzhen-ai-industry-regulations',
  'Shenzhen regulations take effect today',
  '深圳条例今日施行',
  { kind: 'effective-soon', day: '2022-11-01', aheadDays: 0 },
);
const DIGEST_EVENTS = [
  SHENZHEN,
  event(2, 'cn-cac-2023-generative-ai-measures', 'Generative AI measures amended', '生成式人工智能办法修订'),
  event(
    3,
    'cn-sh-ai-industry-regulations',
    'Shanghai regulations: comment deadline in 7 days',
    '上海条例：7 天后征求意见截止',
    {
      kind: 'comment-deadline-soon',
      day: '2026-01-12',
      aheadDays: 7,
    },
  ),
];

describe('e-mail delivery over SMTP', () => {
  let server: SMTPServer;
  let mailer: Mailer;
  let port: number;
  const arrived: Arrived[] = [];

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone@')) {
          callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
        } else if (address.address.startsWith('busy@')) {
          callback(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
        } else {
          callback();
        }
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          arrived.push(
            readMessage(Buffer.concat(chunks).toString('utf8'), {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            }),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
    mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Horizon <alerts@horizon.example.org>' });
  });
  after(async () => {
    mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends a single alert: recipient, subject, title, link and the delivery header arrive', async () => {
    const message = alertEmail({ id: 'sub_1', label: 'Shenzhen watch' }, [SHENZHEN], {
      publicUrl: PUBLIC_URL,
      digest: 'none',
      manageUrl: 'https://horizon.example.org/watch/sub_1?token=abc',
    });
    const result = await mailer.send({
      to: 'alice@example.com',
      ...message,
      headers: { 'X-Horizon-Delivery': 'dlv_1' },
    });
    assert.deepEqual(result, { ok: true, status: 250 });
    const mail = arrived.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['alice@example.com']);
    assert.equal(mail.from, 'alerts@horizon.example.org');
    assert.equal(mail.headers.subject, 'Horizon: Shenzhen regulations take effect today');
    assert.equal(mail.headers['x-horizon-delivery'], 'dlv_1');
    assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    const link = `${PUBLIC_URL}/instruments/cn-gd-shenzhen-ai-industry-regulations`;
    assert.match(mail.text, /Shenzhen regulations take effect today/);
    assert.ok(mail.text.includes(link), mail.text);
    assert.ok(mail.text.includes('Taking effect · 1 November 2022'), mail.text);
    assert.ok(mail.text.includes('https://horizon.example.org/watch/sub_1?token=abc'), mail.text);
    assert.ok(mail.html.includes(`<a href="${link}"`), mail.html);
    assert.ok(mail.html.includes('Shenzhen regulations take effect today'));
    assert.ok(mail.html.includes('https://horizon.example.org/watch/sub_1?token=abc'));
  });

  it('sends a daily digest listing every change with its link', async () => {
    const message = alertEmail({ id: 'sub_2' }, DIGEST_EVENTS, { publicUrl: PUBLIC_URL, digest: 'daily' });
    const result = await mailer.send({ to: 'bob@example.com', ...message, headers: { 'X-Horizon-Delivery': 'dlv_2' } });
    assert.equal(result.ok, true);
    const mail = arrived.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['bob@example.com']);
    assert.equal(mail.headers.subject, 'Horizon daily digest: 3 changes');
    assert.equal(mail.headers['x-horizon-delivery'], 'dlv_2');
    for (const e of DIGEST_EVENTS) {
      assert.ok(mail.text.includes(e.title.en), e.title.en);
      assert.ok(mail.text.includes(`${PUBLIC_URL}${e.path}`), e.path);
      assert.ok(mail.html.includes(`href="${PUBLIC_URL}${e.path}"`), e.path);
    }
    assert.match(mail.text, /^1\. Shenzhen regulations take effect today$/m);
    assert.match(mail.text, /^3\. Shanghai regulations: comment deadline in 7 days$/m);
  });

  it('sends a Chinese weekly digest', async () => {
    const message = alertEmail({ id: 'sub_3', label: '深圳' }, DIGEST_EVENTS.slice(0, 2), {
      publicUrl: PUBLIC_URL,
      digest: 'weekly',
      lang: 'zh',
    });
    const result = await mailer.send({ to: 'chen@example.com', ...message });
    assert.equal(result.ok, true);
    const mail = arrived.at(-1);
    assert.ok(mail);
    assert.equal(mail.headers.subject, 'Horizon 每周摘要：2 项变化');
    assert.ok(mail.text.includes('深圳条例今日施行'));
    assert.ok(mail.text.includes('即将施行 · 2022年11月1日'), mail.text);
    assert.equal(htmlAttrs(parseHtml(mail.html)).lang, 'zh-Hans', 'the same language tag as the guide');
    assert.ok(mail.html.includes('「深圳」 (sub_3)'));
  });

  it('reports a 550 recipient rejection as permanent', async () => {
    const message = alertEmail({ id: 'sub_1' }, [SHENZHEN], { publicUrl: PUBLIC_URL, digest: 'none' });
    const result = await mailer.send({ to: 'gone@example.com', ...message });
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.status, 550);
    assert.match(result.error, /No such mailbox/);
  });

  it('reports a 451 recipient rejection as retryable, and the pool keeps working after rejections', async () => {
    const message = alertEmail({ id: 'sub_1' }, [SHENZHEN], { publicUrl: PUBLIC_URL, digest: 'none' });
    const result = await mailer.send({ to: 'busy@example.com', ...message });
    assert.ok(!result.ok);
    assert.equal(result.retryable, true);
    assert.equal(result.status, 451);
    const count = arrived.length;
    assert.deepEqual(await mailer.send({ to: 'carol@example.com', ...message }), { ok: true, status: 250 });
    assert.equal(arrived.length, count + 1);
  });

  it('refuses more than one recipient or header tricks in the address', async () => {
    const message = alertEmail({ id: 'sub_1' }, [SHENZHEN], { publicUrl: PUBLIC_URL, digest: 'none' });
    for (const to of ['a@example.com, b@example.com', 'a@example.com\r\nBcc: b@example.com', 'nobody']) {
      const result = await mailer.send({ to, ...message });
      assert.ok(!result.ok);
      assert.equal(result.retryable, false);
    }
  });

  it('reports an unreachable server as retryable', async () => {
    const closed = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = createMailer({
      smtpUrl: `smtp://127.0.0.1:${closedPort}`,
      mailFrom: 'alerts@horizon.example.org',
    });
    try {
      const message = alertEmail({ id: 'sub_1' }, [SHENZHEN], { publicUrl: PUBLIC_URL, digest: 'none' });
      const result = await unreachable.send({ to: 'alice@example.com', ...message });
      assert.ok(!result.ok);
      assert.equal(result.retryable, true);
      assert.match(result.error, /ECONNREFUSED|connect/i);
    } finally {
      unreachable.close();
    }
  });

  it('refuses to send without a configured SMTP server, not retryable', async () => {
    const none = createMailer({ mailFrom: 'alerts@horizon.example.org' });
    const message = alertEmail({ id: 'sub_1' }, [SHENZHEN], { publicUrl: PUBLIC_URL, digest: 'none' });
    assert.deepEqual(await none.send({ to: 'alice@example.com', ...message }), {
      ok: false,
      retryable: false,
      error: 'no SMTP server configured (SMTP_URL)',
    });
    none.close();
  });
});

describe('alert e-mails', () => {
  it('escapes titles, summaries and labels in the HTML, and keeps them plain in the text', () => {
    const nasty = event(9, 'x', 'Rules <script>alert("x")</script> & more', '规则', {
      summary: { en: '<img src=x onerror=alert(1)>', zh: '摘要' },
      path: '/instruments/x?a=1&b="2"',
    });
    const message = alertEmail({ id: 'sub_9', label: '<b>mine</b>' }, [nasty], {
      publicUrl: `${PUBLIC_URL}/`,
      digest: 'none',
    });
    assert.equal(message.subject, 'Horizon: Rules <script>alert("x")</script> & more');
    assert.ok(!message.html.includes('<script>'));
    assert.ok(!message.html.includes('<img'));
    assert.ok(!message.html.includes('<b>mine'));
    const doc = parseHtml(message.html);
    assert.equal(doc.querySelectorAll('script, img, b').length, 0, 'no injected element');
    assert.ok(text(doc).includes('Rules <script>alert("x")</script> & more'), 'the title is shown as text');
    assert.ok(text(doc).includes('<b>mine</b>'), 'the label is shown as text');
    assert.ok(message.html.includes('Rules &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more'));
    assert.ok(message.html.includes('href="https://horizon.example.org/instruments/x?a=1&amp;b=&quot;2&quot;"'));
    assert.ok(message.text.includes('https://horizon.example.org/instruments/x?a=1&b="2"'));
    assert.ok(message.text.includes('<img src=x onerror=alert(1)>'));
  });

  it('names batches and digests in the subject', () => {
    const opts = { publicUrl: PUBLIC_URL } as const;
    assert.equal(alertEmail({ id: 's' }, DIGEST_EVENTS, { ...opts, digest: 'none' }).subject, 'Horizon: 3 changes');
    assert.equal(
      alertEmail({ id: 's' }, [SHENZHEN], { ...opts, digest: 'weekly' }).subject,
      'Horizon weekly digest: 1 change',
    );
    assert.equal(
      alertEmail({ id: 's' }, [SHENZHEN], { ...opts, digest: 'none', lang: 'zh' }).subject,
      'Horizon：深圳条例今日施行',
    );
    assert.equal(
      alertEmail({ id: 's' }, DIGEST_EVENTS, { ...opts, digest: 'daily', lang: 'zh' }).subject,
      'Horizon 每日摘要：3 项变化',
    );
  });

  it('dates an event by its day, else by when it happened', () => {
    const undated = event(5, 'y', 'New instrument', '新文件');
    const message = alertEmail({ id: 's' }, [undated], { publicUrl: PUBLIC_URL, digest: 'none' });
    assert.ok(message.text.includes('New instrument · 5 January 2026'), message.text);
  });

  it('needs at least one event', () => {
    assert.throws(() => alertEmail({ id: 's' }, [], { publicUrl: PUBLIC_URL, digest: 'daily' }), RangeError);
  });
});

describe('confirmation e-mails', () => {
  const link = 'https://horizon.example.org/watch/confirm?token=hzc_abc&x="1"';

  it('carry the link in the text and the HTML, escaped, say how long it works and what to do if unasked', () => {
    const message = confirmationEmail(
      { id: 's_1', label: '<b>mine</b>' },
      { lang: 'en', email: 'reader@example.com', link, hours: 48 },
    );
    assert.equal(message.subject, 'Horizon: confirm your subscription');
    assert.ok(message.text.includes(link), message.text);
    assert.match(message.text, /works once, for 48 hours/);
    assert.match(message.text, /If you did not ask for this, ignore this e-mail/);
    assert.ok(message.text.includes('reader@example.com'));
    const doc = parseHtml(message.html);
    assert.equal(doc.querySelectorAll('b, script').length, 0, 'no injected element');
    assert.ok(
      message.html.includes('href="https://horizon.example.org/watch/confirm?token=hzc_abc&amp;x=&quot;1&quot;"'),
    );
    assert.ok(text(doc).includes('<b>mine</b>'), 'the label is shown as text');
  });

  it('speak Chinese to a subscription made in Chinese', () => {
    const message = confirmationEmail({ id: 's_2' }, { lang: 'zh', email: 'chen@example.com', link, hours: 48 });
    assert.equal(message.subject, 'Horizon：请确认您的订阅');
    assert.match(message.text, /48 小时内有效/);
    assert.equal(htmlAttrs(parseHtml(message.html)).lang, 'zh-Hans');
  });
});
