// The subscription index a worker keeps in memory: postings from each anchor code (a subscription's most selective
// watched dimension, see match.ts) to compact subscription slots. Matching an event looks up only the event's own
// codes and checks each candidate once: no scan. The database stays the truth; refresh() applies the subscriptions
// created and deleted since the last refresh (subscription_log, written in commit order).
import type { Queryable } from '../store/database.ts';
import { anchorsOf, lookupsOf, matches, type MatchedSubscription } from './match.ts';
import type { Channel, Digest, SubscriptionFilter, WatchEvent } from './types.ts';

interface Slot {
  readonly id: string;
  readonly channel: Channel;
  readonly digest: Digest;
  readonly filter: SubscriptionFilter;
  /** When it was made (ms): it hears of nothing that happened before. */
  readonly since: number;
  live: boolean;
}

/** What the index keeps of a subscription. */
export interface IndexedSubscription {
  readonly id: string;
  readonly channel: Channel;
  readonly digest: Digest;
  readonly filter: SubscriptionFilter;
  /** When it was made (ms since the epoch); default: always. */
  readonly since?: number;
}

const CHANNEL_BIT: Record<Channel, number> = { webhook: 1, email: 2, atom: 4, ical: 8 };

export class SubscriptionIndex {
  private readonly slots: Slot[] = [];
  private readonly byId = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  private seen = new Uint32Array(1024);
  private generation = 0;
  /** The last subscription_log entry applied. */
  logSeq = 0;

  /** Live subscriptions. */
  get size(): number {
    return this.byId.size;
  }

  add(sub: IndexedSubscription): void {
    if (this.byId.has(sub.id)) this.remove(sub.id);
    const slot = this.slots.length;
    this.slots.push({ ...sub, since: sub.since ?? 0, live: true });
    this.byId.set(sub.id, slot);
    for (const a of anchorsOf(sub.filter)) {
      const key = `${a.dim}\u0000${a.code}`;
      const list = this.postings.get(key);
      if (list) list.push(slot);
      else this.postings.set(key, [slot]);
    }
  }

  /** Forgets a subscription (its slot stays in the postings, marked dead, until the index is rebuilt). */
  remove(id: string): void {
    const slot = this.byId.get(id);
    if (slot === undefined) return;
    const s = this.slots[slot];
    if (s) s.live = false;
    this.byId.delete(id);
  }

  /** The subscriptions (of the given channels) an event concerns, among those that existed when it happened. */
  match(
    e: WatchEvent,
    ancestors: (code: string) => readonly string[],
    channels: readonly Channel[] = ['webhook', 'email'],
  ): MatchedSubscription[] {
    let mask = 0;
    for (const c of channels) mask |= CHANNEL_BIT[c];
    if (this.seen.length < this.slots.length) this.seen = new Uint32Array(this.slots.length * 2);
    const gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const out: MatchedSubscription[] = [];
    const at = Date.parse(e.occurredAt);
    for (const l of lookupsOf(e, ancestors)) {
      const list = this.postings.get(`${l.dim}\u0000${l.code}`);
      if (!list) continue;
      for (const slot of list) {
        if (this.seen[slot] === this.generation) continue;
        this.seen[slot] = this.generation;
        const s = this.slots[slot] as Slot;
        if (!s.live || (CHANNEL_BIT[s.channel] & mask) === 0 || s.since > at || !matches(s.filter, e, ancestors)) {
          continue;
        }
        out.push({ id: s.id, channel: s.channel, digest: s.digest, filter: s.filter });
      }
    }
    return out;
  }

  /** Loads every subscription (in pages), or applies what changed since the last load. Returns how many changed. */
  async refresh(q: Queryable): Promise<number> {
    if (this.logSeq === 0) {
      const [head] = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM subscription_log');
      const last = Number(head?.seq ?? 0);
      if (last === 0) return 0;
      await this.loadAll(q);
      this.logSeq = last;
      return this.size;
    }
    const changes = await q.query<{ seq: number; subscription_id: string }>(
      'SELECT seq, subscription_id FROM subscription_log WHERE seq > $1 ORDER BY seq',
      [this.logSeq],
    );
    if (changes.length === 0) return 0;
    const ids = [...new Set(changes.map((c) => c.subscription_id))];
    for (const id of ids) this.remove(id);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const r of await rowsOf(q, 'WHERE id = ANY($1)', [ids.slice(i, i + 1000)])) this.add(r);
    }
    this.logSeq = Number(changes.at(-1)?.seq ?? this.logSeq);
    return changes.length;
  }

  private async loadAll(q: Queryable): Promise<void> {
    let after = '';
    for (;;) {
      const page = await rowsOf(q, 'WHERE id > $1 ORDER BY id LIMIT 20000', [after]);
      for (const r of page) this.add(r);
      if (page.length < 20000) return;
      after = page.at(-1)?.id ?? after;
    }
  }
}

async function rowsOf(q: Queryable, where: string, params: unknown[]) {
  const rows = await q.query<{ id: string; channel: Channel; digest: Digest; filter: string; since: number }>(
    `SELECT id, channel, digest, filter, (extract(epoch FROM created_at) * 1000)::float8 AS since
     FROM subscriptions ${where}`,
    params,
  );
  return rows.map((r): IndexedSubscription => ({
    id: r.id,
    channel: r.channel,
    digest: r.digest,
    filter: JSON.parse(r.filter) as SubscriptionFilter,
    since: Math.floor(Number(r.since)),
  }));
}
