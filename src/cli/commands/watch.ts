// The watch service's commands: verify (the change log's hash chain), changes (page through it), deliveries (the
// outbox, dead letters and retry by hand) and worker (deliver alerts, run the scheduler).
import { HorizonError, errors } from '../../errors.ts';
import { listChanges, verifyChain } from '../../watch/changelog.store.ts';
import { DELIVERY_STATES, listDeliveries, outboxCounts, type DeliveryState } from '../../watch/outbox.store.ts';
import { SubscriptionIndex } from '../../watch/subscription-index.ts';
import { retryDeliveryAsOperator } from '../../watch/subscriptions.service.ts';
import { nextChangesPath, presentChanges, presentDelivery, presentVerify } from '../../watch/watch.presenters.ts';
import { dispatchAll, deliverDue, runTimers, startWorker } from '../../watch/worker.ts';
import { publishScheduled } from '../../editorial/changesets.service.ts';
import { createMailer } from '../../watch/deliver/email.ts';
import { prepareSecrets, secretBox, secretKeyFor, type SecretBox } from '../../watch/secrets.ts';
import { openDatabase } from '../../store/database.ts';
import { DATA_HELP, DATA_OPTIONS, config, parse, table, withDatabase, type Command } from '../io.ts';

export const verifyCommand: Command = {
  name: 'verify',
  usage: `Usage: horizon verify [--json] [--data DIR]

Checks every entry of the change log: numbered without gaps, linked to the hash of the entry before it, and its own
hash matching its content. Exits 0 when the whole chain holds, 1 naming the first entry that does not.

  --json         print the report as JSON, as GET /api/v1/changes/verify: {ok, entries, head, first_bad}
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, { ...DATA_OPTIONS, json: { type: 'boolean' } });
    if (values.help) return (io.out(this.usage), 0);
    const report = await withDatabase(values, 'horizon verify', (db) =>
      verifyChain(db, (checked, total) => {
        if (!values.json && total > 10_000) io.err(`checked ${checked} of ${total} entries …`);
      }),
    );
    if (values.json) io.out(JSON.stringify(presentVerify(report), null, 2));
    else if (report.firstBad) {
      io.err(`Entry #${report.firstBad.seq} is bad: ${report.firstBad.reason}.`);
      io.err(
        `The ${report.entries} entries before it hold; history from #${report.firstBad.seq} on cannot be trusted.`,
      );
    } else if (report.head) {
      io.out(`The change log holds: ${report.entries} entries, head #${report.head.seq} ${report.head.hash}.`);
    } else io.out('The change log is empty.');
    return report.firstBad ? 1 : 0;
  },
};

const whole = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw errors.usage({ key: 'cli.wholeNumber', params: { option: name, value: text } });
  return Number(text);
};

export const changesCommand: Command = {
  name: 'changes',
  usage: `Usage: horizon changes [--since SEQ] [--limit N] [--json] [--data DIR]

Lists change-log entries after SEQ (default: from the start), oldest first.

  --since SEQ    entries after this sequence number
  --limit N      at most N entries (default 100, at most 1000)
  --json         print the same JSON as GET /api/v1/changes: entries with content before and after, hashes
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DATA_OPTIONS,
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(this.usage), 0);
    const since = whole('since', values.since, 0);
    const limit = whole('limit', values.limit, 100);
    const page = await withDatabase(values, 'horizon changes', (db) => listChanges(db, { since, limit }));
    if (values.json) io.out(JSON.stringify(presentChanges(page, nextChangesPath(page.next, { limit })), null, 2));
    else if (page.entries.length === 0) io.out(since ? `No entries after #${since}.` : 'The change log is empty.');
    else {
      io.out(
        table(
          ['#', 'recorded at', 'by', 'action', 'change', 'entity'],
          page.entries.map((e) => [String(e.seq), e.recordedAt, e.actor, e.action, e.change, `${e.kind}:${e.id}`]),
        ),
      );
      if (page.next !== null) io.out(`More: horizon changes --since ${page.next}`);
    }
    return 0;
  },
};

export const deliveriesCommand: Command = {
  name: 'deliveries',
  usage: `Usage: horizon deliveries [--state STATE] [--subscription ID] [--limit N] [--json] [--data DIR]
       horizon deliveries --retry ID [--data DIR]

Lists deliveries of webhook and e-mail alerts, newest first, with counts by state. A delivery whose last try failed
is dead (dead letter); --retry puts it back in the queue, due now.

  --state STATE        pending, sending, delivered or dead
  --subscription ID    only this subscription's deliveries
  --limit N            at most N (default 50)
  --retry ID           retry the dead delivery ID
  --json               print as JSON
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DATA_OPTIONS,
      state: { type: 'string' },
      subscription: { type: 'string' },
      limit: { type: 'string' },
      retry: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(this.usage), 0);
    if (values.retry !== undefined) {
      const id = whole('retry', values.retry, 0);
      await withDatabase(values, 'horizon deliveries', (db) => retryDeliveryAsOperator(db, id)).catch(
        (error: unknown) => {
          if (error instanceof HorizonError && (error.code === 'not_found' || error.code === 'conflict')) {
            throw errors.usage({ key: 'cli.notDead', params: { id: String(id) } });
          }
          throw error;
        },
      );
      io.out(`Delivery ${id} is queued again.`);
      return 0;
    }
    const state = values.state as DeliveryState | undefined;
    if (state !== undefined && !DELIVERY_STATES.includes(state)) {
      throw errors.usage({ key: 'cli.mustBeOneOf', params: { option: 'state', choices: DELIVERY_STATES.join(', ') } });
    }
    const limit = whole('limit', values.limit, 50);
    const { counts, list } = await withDatabase(values, 'horizon deliveries', async (db) => ({
      counts: await outboxCounts(db),
      list: await listDeliveries(db, {
        ...(state ? { state } : {}),
        ...(values.subscription ? { subscription: values.subscription } : {}),
        limit,
      }),
    }));
    if (values.json) io.out(JSON.stringify({ counts, deliveries: list.map(presentDelivery) }, null, 2));
    else {
      io.out(
        Object.entries(counts)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', '),
      );
      if (list.length) {
        io.out(
          table(
            ['id', 'state', 'channel', 'subscription', 'tries', 'events', 'last error'],
            list.map((d) => [
              String(d.id),
              d.state,
              d.channel,
              d.subscription,
              String(d.attempts),
              String(d.events.length),
              d.lastError ?? '',
            ]),
          ),
        );
      }
    }
    return 0;
  },
};

export const workerCommand: Command = {
  name: 'worker',
  usage: `Usage: horizon worker [--once] [--data DIR]

Matches new events against the active subscriptions (an index kept in memory) and delivers the alerts, and the one
confirmation e-mail of each new e-mail subscription, retrying failures with exponential backoff and jitter; after the
last try a delivery is dead (horizon deliveries --state dead). Every minute it turns dates into events (in force from today, effective or comment
deadline in N days) and sends due daily and weekly digests. Several workers may share one PostgreSQL database.
"horizon serve" runs a worker too unless --services web is given.

  --once         run the scheduler and one round of deliveries, then exit
${DATA_HELP}

Environment: SMTP_URL, MAIL_FROM, HORIZON_PUBLIC_URL, WEBHOOK_ALLOW_PRIVATE, WEBHOOK_TIMEOUT_MS,
DELIVERY_MAX_ATTEMPTS, DELIVERY_RETRY_BASE_MS, DELIVERY_LEASE_MS, WATCH_TIMEZONE (docs/WEBHOOKS.md).`,
  async run(argv, io) {
    const { values } = parse(argv, { ...DATA_OPTIONS, once: { type: 'boolean' } });
    if (values.help) return (io.out(this.usage), 0);
    const cfg = config(values);
    const db = await openDatabase(cfg.database, 'horizon worker');
    let secrets: SecretBox;
    try {
      secrets = secretBox(secretKeyFor(cfg));
      await prepareSecrets(db, secrets);
    } catch (error) {
      await db.close();
      throw error;
    }
    const log = { info: (m: string) => io.err(m), error: (m: string) => io.err(m) };
    try {
      if (values.once) {
        const timers = await runTimers(db, cfg.watch, new Date(), publishScheduled);
        const mailer = createMailer({
          ...(cfg.watch.smtpUrl ? { smtpUrl: cfg.watch.smtpUrl } : {}),
          mailFrom: cfg.watch.mailFrom,
        });
        let sent = 0;
        const dispatched = await dispatchAll(db, new SubscriptionIndex());
        try {
          for (let n = -1; n !== 0; sent += n) n = await deliverDue(db, { config: cfg.watch, secrets, log }, mailer);
        } finally {
          mailer.close();
        }
        io.out(
          `Scheduler: ${timers.events} events, ${timers.digests} digests. Dispatched ${dispatched.events} events ` +
            `(${dispatched.deliveries} deliveries queued). Deliveries attempted: ${sent}.`,
        );
        return 0;
      }
      const worker = startWorker(db, { config: cfg.watch, secrets, log, beforeTimers: publishScheduled });
      io.out('Horizon worker is delivering alerts. Press Ctrl+C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      io.err('Stopping …');
      await worker.stop();
      return 0;
    } finally {
      await db.close();
    }
  },
};
