// The subscription index a worker keeps in memory: postings from each anchor code (a subscription's most selective
// watched dimension, see match.ts) to compact subscription slots. Matching an event looks up only the event's own
// codes and checks each candidate once: no scan. The database stays the truth; refresh() applies the subscriptions
// created and deleted since the last refresh (subscription_log, written in commit order).
import type { Queryable } from '../store/database.ts';
import { indexedSubscriptions, subscriptionLogHead, subscriptionLogSince } from './subscriptions.store.ts';
import { anchorsOf, lookupsOf, matches } from './match.ts';
import {
  CHANGE_KINDS,
  type ChangeKind,
  type Channel,
  type Digest,
  type SubscriptionFilter,
  type WatchEvent,
} from './types.ts';

/** What the index keeps of a subscription. */
export interface IndexedSubscription {
  readonly id: string;
  readonly channel: Channel;
  readonly digest: Digest;
  readonly filter: SubscriptionFilter;
  /** When it was made (ms since the epoch); default: always. */
  readonly since?: number;
}

/** A match: enough to queue a delivery. */
export interface IndexMatch {
  readonly id: string;
  readonly channel: Channel;
  readonly digest: Digest;
}

const CHANNELS_BY_BIT: readonly Channel[] = ['webhook', 'email', 'atom', 'ical'];
const CHANNEL_BIT: Record<Channel, number> = { webhook: 1, email: 2, atom: 4, ical: 8 };
const DIGEST_CODES: readonly Digest[] = ['none', 'daily', 'weekly'];
const KIND_BIT = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, 1 << i]));
const LIVE = 1;
const EXACT = 2;

/**
 * Subscriptions as columns (typed arrays) so a match reads little memory, in order. Most subscriptions watch one
 * dimension (and maybe kinds): for them a hit on their anchor decides everything but the kind, which a bit mask
 * answers ("exact"). The others keep their filter and are checked with matches().
 */
export class SubscriptionIndex {
  private ids: string[] = [];
  private state = new Uint8Array(1024);
  private channel = new Uint8Array(1024);
  private digest = new Uint8Array(1024);
  private kindMask = new Uint16Array(1024);
  private effectiveAhead = new Int16Array(1024);
  private deadlineAhead = new Int16Array(1024);
  private since = new Float64Array(1024);
  private seen = new Uint32Array(1024);
  private readonly filters = new Map<number, SubscriptionFilter>();
  private readonly byId = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  private generation = 0;
  /** The last subscription_log entry applied. */
  logSeq = 0;

  /** Live subscriptions. */
  get size(): number {
    return this.byId.size;
  }

  private grow(): void {
    const n = this.state.length * 2;
    const grown = <T extends Uint8Array | Uint16Array | Int16Array | Float64Array | Uint32Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.state = grown(this.state, (k) => new Uint8Array(k));
    this.channel = grown(this.channel, (k) => new Uint8Array(k));
    this.digest = grown(this.digest, (k) => new Uint8Array(k));
    this.kindMask = grown(this.kindMask, (k) => new Uint16Array(k));
    this.effectiveAhead = grown(this.effectiveAhead, (k) => new Int16Array(k));
    this.deadlineAhead = grown(this.deadlineAhead, (k) => new Int16Array(k));
    this.since = grown(this.since, (k) => new Float64Array(k));
    this.seen = new Uint32Array(n);
    this.generation = 0;
  }

  add(sub: IndexedSubscription): void {
    if (this.byId.has(sub.id)) this.remove(sub.id);
    const slot = this.ids.length;
    if (slot >= this.state.length) this.grow();
    const f = sub.filter;
    const dims = [f.instruments, f.programmes, f.jurisdictions, f.topics].filter((l) => l.length > 0).length;
    const exact = f.profile === undefined && dims <= 1;
    let mask = 0;
    for (const k of CHANGE_KINDS) if (f.kinds.length === 0 || f.kinds.includes(k)) mask |= KIND_BIT.get(k) ?? 0;
    this.ids.push(sub.id);
    this.state[slot] = LIVE | (exact ? EXACT : 0);
    this.channel[slot] = CHANNEL_BIT[sub.channel];
    this.digest[slot] = Math.max(DIGEST_CODES.indexOf(sub.digest), 0);
    this.kindMask[slot] = mask;
    this.effectiveAhead[slot] = f.effectiveAhead ?? -1;
    this.deadlineAhead[slot] = f.deadlineAhead ?? -1;
    this.since[slot] = sub.since ?? 0;
    if (!exact) this.filters.set(slot, f);
    this.byId.set(sub.id, slot);
    for (const a of anchorsOf(f)) {
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
    this.state[slot] = 0;
    this.filters.delete(slot);
    this.byId.delete(id);
  }

  /** The subscriptions (of the given channels) an event concerns, among those that existed when it happened. */
  match(
    e: WatchEvent,
    ancestors: (code: string) => readonly string[],
    channels: readonly Channel[] = ['webhook', 'email'],
  ): IndexMatch[] {
    let channelMask = 0;
    for (const c of channels) channelMask |= CHANNEL_BIT[c];
    if (++this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const gen = this.generation;
    const at = Date.parse(e.occurredAt);
    const kindBit = KIND_BIT.get(e.kind) ?? 0;
    const soon = e.kind === 'effective-soon' ? 1 : e.kind === 'comment-deadline-soon' ? 2 : 0;
    const ahead = e.aheadDays ?? -1;
    const privateEvent = e.profile !== undefined;
    const { seen, state, channel, since, kindMask, effectiveAhead, deadlineAhead, ids, digest } = this;
    const out: IndexMatch[] = [];
    for (const l of lookupsOf(e, ancestors)) {
      const list = this.postings.get(`${l.dim}\u0000${l.code}`);
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i] as number;
        if (seen[slot] === gen) continue;
        seen[slot] = gen;
        const st = state[slot] as number;
        if ((st & LIVE) === 0 || ((channel[slot] as number) & channelMask) === 0 || (since[slot] as number) > at) {
          continue;
        }
        let ok: boolean;
        if ((st & EXACT) !== 0) {
          ok =
            !privateEvent &&
            (soon === 1
              ? effectiveAhead[slot] === ahead
              : soon === 2
                ? deadlineAhead[slot] === ahead
                : ((kindMask[slot] as number) & kindBit) !== 0);
        } else {
          const f = this.filters.get(slot);
          ok = f !== undefined && matches(f, e, ancestors);
        }
        if (ok) {
          out.push({
            id: ids[slot] as string,
            channel: CHANNELS_BY_BIT[Math.log2(channel[slot] as number)] as Channel,
            digest: DIGEST_CODES[digest[slot] as number] as Digest,
          });
        }
      }
    }
    return out;
  }

  /** Loads every subscription (in pages), or applies what changed since the last load. Returns how many changed. */
  async refresh(q: Queryable): Promise<number> {
    if (this.logSeq === 0) {
      const last = await subscriptionLogHead(q);
      if (last === 0) return 0;
      await this.loadAll(q);
      this.logSeq = last;
      return this.size;
    }
    const changes = await subscriptionLogSince(q, this.logSeq);
    if (changes.length === 0) return 0;
    const ids = [...new Set(changes.map((c) => c.subscription))];
    for (const id of ids) this.remove(id);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const r of await indexedSubscriptions(q, { ids: ids.slice(i, i + 1000) })) this.add(r);
    }
    this.logSeq = changes.at(-1)?.seq ?? this.logSeq;
    return changes.length;
  }

  private async loadAll(q: Queryable): Promise<void> {
    let after = '';
    for (;;) {
      const page = await indexedSubscriptions(q, { after, limit: 20000 });
      for (const r of page) this.add(r);
      if (page.length < 20000) return;
      after = page.at(-1)?.id ?? after;
    }
  }
}
