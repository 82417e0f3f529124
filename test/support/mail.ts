// E-mail in tests: a real SMTP server on a loopback port that keeps what arrives (smtp-server), a mailer pointed at
// it, and a minimal MIME reader for what nodemailer writes (unfolded headers, encoded words, multipart, base64 and
// quoted-printable bodies).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailer, type Mailer } from '../../src/watch/deliver/email.ts';
import { parseHtml } from './html.ts';

/** One message as it arrived: envelope, headers and its text and HTML parts, decoded. */
export interface Arrived {
  readonly from: string;
  readonly to: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly html: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
    );
}

function decodeQp(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

/** A message's header block as a record (lower-case names, values unfolded and decoded). */
export function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return out;
}

/** The leaf parts of a MIME message, decoded. */
export function leaves(raw: string): { type: string; body: string }[] {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((part) => leaves(part.replace(/^\r\n/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQp(body)
        : body;
  return [{ type: type.split(';')[0] ?? '', body: decoded }];
}

/** A raw message (as the SMTP server received it) read into an Arrived. */
export function readMessage(raw: string, envelope: { from: string; to: readonly string[] }): Arrived {
  const split = raw.indexOf('\r\n\r\n');
  const parts = leaves(raw);
  return {
    ...envelope,
    headers: parseHeaders(raw.slice(0, split)),
    text: parts.find((p) => p.type === 'text/plain')?.body ?? '',
    html: parts.find((p) => p.type === 'text/html')?.body ?? '',
  };
}

/** An SMTP server on a loopback port that keeps every message, and a mailer that sends to it. */
export async function smtpSink(): Promise<{ mails: Arrived[]; mailer: Mailer; close(): Promise<void> }> {
  const mails: Arrived[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(
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
  const port = (server.server.address() as AddressInfo).port;
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    mailFrom: 'Horizon <alerts@horizon.example.org>',
  });
  return {
    mails,
    mailer,
    async close() {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The confirmation link of a confirmation e-mail's text (undefined when there is none). */
export function confirmationLink(mail: Arrived): string | undefined {
  return /https?:\/\/\S+\/watch\/confirm\?token=hzc_[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
}

/**
 * Follows a confirmation e-mail's link as a person does, on the server at `base` (the link names the public address):
 * opens the page (which confirms nothing), then presses its button. Returns both answers' statuses and the pages.
 */
export async function followConfirmation(
  base: string,
  link: string,
): Promise<{ page: number; confirmed: number; body: string }> {
  const url = new URL(link);
  const opened = await fetch(new URL(`${url.pathname}${url.search}`, base));
  const page = await opened.text();
  const token = parseHtml(page).querySelector('form#confirm input[name="token"]')?.getAttribute('value') ?? '';
  const pressed = await fetch(new URL('/watch/confirm', base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  return { page: opened.status, confirmed: pressed.status, body: await pressed.text() };
}
