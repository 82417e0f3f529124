// E-mail delivery: alert and digest messages and the confirmation e-mail of a new subscription (subject, plain text
// and escaped HTML, English or Chinese) and a mailer over SMTP (nodemailer, pooled) whose failures are classified like
// webhooks': 4xx and lost connections retryable, 5xx permanent.
import nodemailer from 'nodemailer';
import { formatPartialDate } from '../../domain/dates.ts';
import type { Lang } from '../../domain/types.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { languageTag } from '../../i18n/languages.ts';
import { translator } from '../../i18n/messages.ts';
import type { Digest, StoredEvent } from '../types.ts';
import type { DeliveryResult } from './webhook.ts';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers, e.g. X-Horizon-Delivery (the delivery's idempotency key). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(message: MailMessage): Promise<DeliveryResult>;
  /** Closes pooled SMTP connections. */
  close(): void;
}

export interface MailerConfig {
  /** smtp:// or smtps:// URL (SMTP_URL); without one every send fails, not retryable. */
  readonly smtpUrl?: string;
  /** The From header (MAIL_FROM). */
  readonly mailFrom: string;
  /** Connection, greeting and socket inactivity timeout (default 15 s). */
  readonly timeoutMs?: number;
}

/** Nodemailer error codes that retrying the same message will not cure (without an SMTP reply code to go by). */
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'ECONFIG',
  'EMAXRECIPIENTS',
  'EREQUIRETLS',
  'EFILEACCESS',
  'EURLACCESS',
]);

function failure(retryable: boolean, error: string, status?: number): DeliveryResult {
  return status === undefined ? { ok: false, retryable, error } : { ok: false, retryable, status, error };
}

/** SMTP reply codes decide when there is one (4xx and 503 transient, other 5xx permanent); else nodemailer's code. */
export function classifySmtpError(e: unknown): DeliveryResult {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; responseCode?: unknown };
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim().slice(0, 300);
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    return failure(responseCode < 500 || responseCode === 503, message, responseCode);
  }
  const code = typeof err.code === 'string' ? err.code : undefined;
  return failure(code === undefined || !PERMANENT_CODES.has(code), message);
}

/** A mailer for the configured SMTP server; send never throws, it reports a DeliveryResult. */
export function createMailer(config: MailerConfig): Mailer {
  const { smtpUrl } = config;
  if (!smtpUrl) {
    return {
      send: () => Promise.resolve(failure(false, 'no SMTP server configured (SMTP_URL)')),
      close: () => undefined,
    };
  }
  const timeout = config.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
  });
  // Transport errors also reach the send that hit them; without a listener an idle pool error would be thrown.
  transport.on('error', () => undefined);
  return {
    async send(message) {
      if (/[\r\n,;]/.test(message.to) || !message.to.includes('@')) {
        return failure(false, `not a single e-mail address: ${JSON.stringify(message.to)}`);
      }
      try {
        const info = await transport.sendMail({
          from: config.mailFrom,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'Auto-Submitted': 'auto-generated', ...message.headers },
        });
        const status = /^\d{3}/.exec(String(info.response))?.[0];
        return { ok: true, status: status ? Number(status) : 250 };
      } catch (e) {
        return classifySmtpError(e);
      }
    },
    close() {
      transport.close();
    },
  };
}

export interface AlertEmailOptions {
  /** The site's public address; event paths are appended to it. */
  readonly publicUrl: string;
  readonly lang?: Lang;
  readonly digest: Digest;
  /** Where the subscriber manages or cancels the subscription. */
  readonly manageUrl?: string;
}

export interface AlertEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** One alert (one event, no digest) or a digest listing many: subject, plain text and escaped HTML. */
export function alertEmail(
  subscription: { readonly id: string; readonly label?: string },
  events: readonly StoredEvent[],
  options: AlertEmailOptions,
): AlertEmail {
  if (events.length === 0) throw new RangeError('an alert e-mail needs at least one event');
  const lang = options.lang ?? 'en';
  const t = translator(lang);
  const base = options.publicUrl.replace(/\/+$/, '');
  const items = events.map((e) => ({
    title: oneLine(e.title[lang]),
    summary: e.summary[lang].trim(),
    meta: `${t(`changeKindShort.${e.kind}`)} · ${formatPartialDate(e.day ?? e.occurredAt.slice(0, 10), lang)}`,
    url: `${base}${e.path.startsWith('/') ? '' : '/'}${e.path}`,
  }));
  const [first] = items;
  const single = options.digest === 'none' && items.length === 1 && first !== undefined;
  const changes = t('email.changes', { n: items.length });
  const heading = single
    ? first.title
    : options.digest === 'none'
      ? changes
      : t('email.digestHeading', { digest: t(`email.digest.${options.digest}`), changes });
  const subject =
    single || options.digest === 'none' ? t('email.subject', { heading }) : t('email.digestSubject', { heading });
  const name = subscription.label
    ? t('email.named', { label: oneLine(subscription.label), id: subscription.id })
    : subscription.id;
  const why = t('email.why', { name });

  const textItems = items.map((item, i) =>
    single
      ? [item.meta, '', item.summary, '', t('email.readMoreAt', { url: item.url })].join('\n')
      : [
          `${i + 1}. ${item.title}`,
          `   ${item.meta}`,
          ...item.summary.split('\n').map((l) => `   ${l}`),
          `   ${item.url}`,
        ].join('\n'),
  );
  const footer = [why, ...(options.manageUrl ? [t('email.manageAt', { url: options.manageUrl })] : [])];
  const text = [single ? first.title : subject, '', textItems.join('\n\n'), '', '-- ', ...footer, ''].join('\n');

  const muted = 'color:#555;font-size:13px;margin:2px 0';
  const htmlItems: SafeHtml[] = items.map(
    (item) =>
      html`<div style="margin:0 0 20px">
        <h2 style="font-size:16px;margin:0"><a href="${item.url}" style="color:#0b5cad">${item.title}</a></h2>
        <p style="${muted}">${item.meta}</p>
        <p style="margin:6px 0">${item.summary}</p>
      </div>`,
  );
  const body = html`${
    single
      ? html`<p style="${muted}">${first.meta}</p>
          <p>${first.summary}</p>
          <p><a href="${first.url}" style="color:#0b5cad">${t('email.readMore')}</a></p>`
      : htmlItems
  }`;
  const htmlFooter = html`${why}${
    options.manageUrl ? html`<br /><a href="${options.manageUrl}" style="color:#666">${t('email.manage')}</a>` : ''
  }`;
  return { subject, text, html: emailPage(lang, subject, single ? first.title : subject, body, htmlFooter) };
}

export interface ConfirmationEmailOptions {
  readonly lang: Lang;
  /** The address asked for. */
  readonly email: string;
  /** The confirmation page's absolute address, with the token. */
  readonly link: string;
  /** How many hours the link works. */
  readonly hours: number;
}

/**
 * The one e-mail a pending subscription gets: a link to the page that confirms it (the page asks for a button press,
 * so a mail scanner following the link confirms nothing). Subject, plain text and escaped HTML.
 */
export function confirmationEmail(
  subscription: { readonly id: string; readonly label?: string },
  options: ConfirmationEmailOptions,
): AlertEmail {
  const t = translator(options.lang);
  const subject = t('email.confirm.subject');
  const name = subscription.label
    ? t('email.named', { label: oneLine(subscription.label), id: subscription.id })
    : subscription.id;
  const intro = t('email.confirm.intro', { email: options.email, name });
  const action = t('email.confirm.action');
  const expires = t('email.confirm.expires', { hours: options.hours });
  const ignore = t('email.confirm.ignore');
  const text = [subject, '', intro, '', action, options.link, '', expires, '', '-- ', ignore, ''].join('\n');
  const body = html`<p>${intro}</p>
    <p>${action}</p>
    <p><a href="${options.link}" style="color:#0b5cad">${t('email.confirm.button')}</a></p>
    <p style="color:#555;font-size:13px">${expires}</p>`;
  return { subject, text, html: emailPage(options.lang, subject, subject, body, ignore) };
}

/** The HTML of every e-mail Horizon sends: one inline-styled page (mail clients drop style sheets), a footer under a rule. */
function emailPage(lang: Lang, subject: string, heading: string, body: SafeHtml, footer: SafeHtml | string): string {
  return html`<!doctype html>
    <html lang="${languageTag(lang)}">
      <head>
        <meta charset="utf-8" />
        <title>${subject}</title>
      </head>
      <body
        style="font-family:-apple-system,'Segoe UI',Helvetica,Arial,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.5;color:#1a1a1a;max-width:640px;margin:0 auto;padding:16px"
      >
        <h1 style="font-size:20px;margin:0 0 16px">${heading}</h1>
        ${body}
        <hr style="border:0;border-top:1px solid #ddd;margin:24px 0 8px" />
        <p style="font-size:12px;color:#666">${footer}</p>
      </body>
    </html> `.value;
}
