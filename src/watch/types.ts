// The watch service's data: kinds of change, the events people are told about, and what a subscription watches.
import type { Bilingual, Lang } from '../domain/types.ts';

/** Kinds of change a subscription can choose (public contract: stored in subscriptions and sent in webhooks). */
export const CHANGE_KINDS = [
  'new-instrument',
  'new-event',
  'status-changed',
  'text-revised',
  'eligibility-changed',
  'effective-soon',
  'comment-deadline-soon',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANNELS = ['webhook', 'email', 'atom', 'ical'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIGESTS = ['none', 'daily', 'weekly'] as const;
export type Digest = (typeof DIGESTS)[number];

/**
 * Where a subscription stands: e-mail ones are `pending` until the confirmation link is followed, webhooks
 * `unverified` until their receiver echoes the challenge; only `active` ones are matched and delivered to.
 */
export const SUBSCRIPTION_STATUSES = ['pending', 'unverified', 'active'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** One thing that happened (or is about to), as recorded in watch_events and delivered. */
export interface WatchEvent {
  readonly kind: ChangeKind;
  /** Unique per happening: recording it twice keeps one. */
  readonly key: string;
  readonly occurredAt: string;
  readonly changeSeq?: number;
  readonly instrument?: string;
  readonly article?: string;
  /** The jurisdiction the event concerns (subscriptions to it or to an ancestor match). */
  readonly jurisdiction?: string;
  readonly topics: readonly string[];
  readonly programmes: readonly string[];
  /** Eligibility changes: the stored profile (private events). */
  readonly profile?: string;
  /** The day the event is about: an effective date, a comment deadline. */
  readonly day?: string;
  /** Dates ahead: the N of "in N days". */
  readonly aheadDays?: number;
  readonly title: Bilingual;
  readonly summary: Bilingual;
  /** Path on the guide site (e.g. /instruments/ID), without host. */
  readonly path: string;
}

/** A stored event: a WatchEvent with its id. */
export interface StoredEvent extends WatchEvent {
  readonly id: number;
}

/** What a subscription watches. Each list narrows (AND between lists, OR within one); an empty list is no limit. */
export interface SubscriptionFilter {
  readonly jurisdictions: readonly string[];
  readonly topics: readonly string[];
  readonly instruments: readonly string[];
  readonly programmes: readonly string[];
  readonly kinds: readonly ChangeKind[];
  /** Eligibility changes of this stored profile (its owner's token is checked when subscribing). */
  readonly profile?: string;
  /** "Effective in N days": alert N days ahead of an effective date. */
  readonly effectiveAhead?: number;
  /** "Comment deadline in N days": remind N days ahead of a comment deadline. */
  readonly deadlineAhead?: number;
}

/** A subscription as stored. */
export interface Subscription {
  readonly id: string;
  readonly label?: string;
  readonly filter: SubscriptionFilter;
  readonly channel: Channel;
  /** Webhook URL or e-mail address. */
  readonly target?: string;
  readonly digest: Digest;
  readonly status: SubscriptionStatus;
  /** The language of the request that made it (its confirmation e-mail's). */
  readonly lang: Lang;
  /** Webhooks not yet verified: why the last handshake failed. */
  readonly verifyError?: string;
  readonly createdAt: string;
}
