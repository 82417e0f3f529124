// The delivery worker: dispatches new events (matched against its in-memory subscription index, deliveries queued),
// claims due deliveries from the outbox, sends them (webhook or e-mail) and settles each; between rounds it runs the
// scheduler and flushes due digests. Any number of workers may share one PostgreSQL database.
import type { WatchConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { createMailer, alertEmail, confirmationEmail, type Mailer } from './deliver/email.ts';
import { sendWebhook, webhookBody, WEBHOOK_EVENT_CHANGES } from './deliver/webhook.ts';
import { eventsById } from './events.store.ts';
import { dispatchEvents, flushDigests, localTime, settleDelivery, type SendResult } from './outbox.ts';
import { claimDeliveries, type Claim } from './outbox.store.ts';
import { SubscriptionIndex } from './subscription-index.ts';
import { runScheduler } from './scheduler.ts';
import { pruneRateLimits } from './limits.ts';
import { deliveryTarget, issueConfirmation } from './subscriptions.service.ts';
import type { SecretBox } from './secrets.ts';

export interface WorkerLog {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Work that runs first in every timer round, before the scheduler: the composition (the worker command, `horizon
 * serve`) passes the editorial workspace's publishing of change sets that are due, so watch/ does not import editorial/
 * (which writes through the watch service). Returns the ids published and those that failed.
 */
export type TimerTask = (
  db: Database,
  now: Date,
) => Promise<{ readonly published: readonly string[]; readonly failed: readonly { id: string; error: string }[] }>;

export interface WorkerOptions {
  readonly config: WatchConfig;
  /** Run first in every timer round (publishing due change sets: editorial's publishScheduled). */
  readonly beforeTimers?: TimerTask;
  /** Opens the stored webhook secrets (secrets.ts; the key from config). */
  readonly secrets: SecretBox;
  /** Deliveries claimed per round (sent concurrently). */
  readonly batch?: number;
  /** Pause when there is nothing to do. */
  readonly idleMs?: number;
  /** How often the scheduler and digests run. */
  readonly scheduleEveryMs?: number;
  readonly log?: WorkerLog;
  /** A mailer to use instead of one built from config (tests). */
  readonly mailer?: Mailer;
}

const quiet: WorkerLog = { info: () => undefined, error: () => undefined };

/** Sends a pending e-mail subscription's confirmation e-mail, with a new single-use link. */
async function sendConfirmation(
  db: Database,
  claim: Claim,
  options: WorkerOptions,
  mailer: Mailer,
): Promise<SendResult> {
  const issued = await issueConfirmation(db, claim.subscription, options.config.publicUrl);
  if (!issued) return { ok: false, retryable: false, error: 'the subscription is no longer waiting for confirmation' };
  const { subscription } = issued;
  if (!subscription.target) return { ok: false, retryable: false, error: 'no e-mail address' };
  const message = confirmationEmail(
    { id: subscription.id, ...(subscription.label ? { label: subscription.label } : {}) },
    { lang: subscription.lang, email: subscription.target, link: issued.link, hours: issued.hours },
  );
  return mailer.send({ to: subscription.target, ...message, headers: { 'X-Horizon-Delivery': claim.idempotencyKey } });
}

/** Sends one claimed delivery; never throws (a failure is a result). */
async function send(db: Database, claim: Claim, options: WorkerOptions, mailer: Mailer): Promise<SendResult> {
  try {
    if (claim.kind === 'confirm') return await sendConfirmation(db, claim, options, mailer);
    const target = await deliveryTarget(db, options.secrets, claim.subscription);
    if (!target) return { ok: false, retryable: false, error: 'the subscription was deleted' };
    // Nothing but its confirmation goes to a subscription that is not active (pending or unverified).
    if (target.subscription.status !== 'active') {
      return { ok: false, retryable: false, error: `the subscription is ${target.subscription.status}` };
    }
    const events = await eventsById(db, claim.events);
    if (events.length === 0) return { ok: false, retryable: false, error: 'its events no longer exist' };
    const { subscription } = target;
    if (claim.channel === 'webhook') {
      if (!subscription.target || !target.secret) return { ok: false, retryable: false, error: 'no webhook url' };
      return await sendWebhook(
        { url: subscription.target, secret: target.secret },
        {
          idempotencyKey: claim.idempotencyKey,
          event: WEBHOOK_EVENT_CHANGES,
          body: webhookBody(subscription.id, events, options.config.publicUrl),
        },
        { timeoutMs: options.config.webhookTimeoutMs, allowPrivate: options.config.allowPrivateWebhooks },
      );
    }
    if (claim.channel === 'email') {
      if (!subscription.target) return { ok: false, retryable: false, error: 'no e-mail address' };
      const message = alertEmail(
        { id: subscription.id, ...(subscription.label ? { label: subscription.label } : {}) },
        events,
        {
          publicUrl: options.config.publicUrl,
          lang: subscription.lang,
          digest: claim.digest ?? 'none',
          manageUrl: `${options.config.publicUrl}/watch`,
        },
      );
      return await mailer.send({
        to: subscription.target,
        ...message,
        headers: { 'X-Horizon-Delivery': claim.idempotencyKey },
      });
    }
    return { ok: false, retryable: false, error: `channel ${claim.channel} is not pushed` };
  } catch (error) {
    return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One round: claims up to `batch` due deliveries, sends them concurrently and settles them. Returns how many. */
export async function deliverDue(db: Database, options: WorkerOptions, mailer: Mailer): Promise<number> {
  const claims = await claimDeliveries(db, options.batch ?? 8, options.config.leaseMs);
  const log = options.log ?? quiet;
  await Promise.all(
    claims.map(async (claim) => {
      const result = await send(db, claim, options, mailer);
      const state = await settleDelivery(db, claim, result, options.config);
      if (!result.ok) {
        log.error(
          `delivery ${claim.id} (${claim.channel}, try ${claim.attempts}) failed: ${result.error} → ${state ?? 'claim lost'}`,
        );
      }
    }),
  );
  return claims.length;
}

/** Dispatches every waiting event (in batches). Returns how many events and deliveries. */
export async function dispatchAll(
  db: Database,
  index: SubscriptionIndex,
): Promise<{ events: number; deliveries: number }> {
  let events = 0;
  let deliveries = 0;
  for (;;) {
    const r = await dispatchEvents(db, index);
    events += r.events;
    deliveries += r.deliveries;
    if (r.events === 0) return { events, deliveries };
  }
}

/** One whole round: dispatch waiting events, then deliver what is due (tests and `horizon worker --once`). */
export async function workRound(
  db: Database,
  index: SubscriptionIndex,
  options: WorkerOptions,
  mailer: Mailer,
): Promise<{ dispatched: number; sent: number }> {
  const { events } = await dispatchAll(db, index);
  return { dispatched: events, sent: await deliverDue(db, options, mailer) };
}

/**
 * The scheduler, digests and (through `before`, editorial's publishScheduled) change sets due for publication, once
 * (for today in the configured time zone).
 */
export async function runTimers(db: Database, config: WatchConfig, now = new Date(), before?: TimerTask) {
  const today = localTime(now, config.timezone).day;
  // Published first, so the scheduler's dates and the dispatch that follows see what the change sets brought.
  const changesets = before ? await before(db, now) : { published: [], failed: [] };
  const scheduled = await runScheduler(db, today, now);
  const digests = await db.transaction((tx) => flushDigests(tx, now, config.timezone));
  await pruneRateLimits(db);
  return { ...scheduled, digests, changesets };
}

/** A running worker; stop() finishes the round in progress and resolves. */
export interface RunningWorker {
  stop(): Promise<void>;
  /** Resolves when the worker stopped (by stop() or a fatal error). */
  readonly done: Promise<void>;
}

/** Runs the worker loop until stopped. */
export function startWorker(db: Database, options: WorkerOptions): RunningWorker {
  const log = options.log ?? quiet;
  const mailer =
    options.mailer ??
    createMailer({
      ...(options.config.smtpUrl ? { smtpUrl: options.config.smtpUrl } : {}),
      mailFrom: options.config.mailFrom,
    });
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const index = new SubscriptionIndex();
  const done = (async () => {
    let lastTimers = 0;
    while (!stopping) {
      try {
        if (Date.now() - lastTimers >= (options.scheduleEveryMs ?? 60_000)) {
          lastTimers = Date.now();
          const t = await runTimers(db, options.config, new Date(), options.beforeTimers);
          if (t.events || t.digests) {
            log.info(`scheduler: ${t.events} events for ${t.days.join(', ')}, ${t.digests} digests`);
          }
          for (const id of t.changesets.published) log.info(`change set ${id} published as scheduled`);
          for (const f of t.changesets.failed) log.error(`change set ${f.id} not published as scheduled: ${f.error}`);
        }
        const { dispatched, sent } = await workRound(db, index, options, mailer);
        if (dispatched === 0 && sent === 0 && !stopping) await sleep(options.idleMs ?? 1000);
      } catch (error) {
        log.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
        if (!stopping) await sleep(options.idleMs ?? 1000);
      }
    }
    if (!options.mailer) mailer.close();
  })();
  return {
    done,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
