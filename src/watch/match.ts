// Which subscriptions an event concerns: the filter semantics (matches), and the anchor codes the in-memory
// subscription index files each subscription under (its most selective watched dimension) and looks an event up by.
import type { SubscriptionFilter, WatchEvent } from './types.ts';

export type AnchorDim = 'instrument' | 'programme' | 'profile' | 'jurisdiction' | 'topic' | 'kind' | 'all';

export interface Anchor {
  readonly dim: AnchorDim;
  readonly code: string;
}

/** Where a subscription is filed: every code of its most selective non-empty dimension. */
export function anchorsOf(f: SubscriptionFilter): Anchor[] {
  const codes = (dim: AnchorDim, list: readonly string[]): Anchor[] => list.map((code) => ({ dim, code }));
  if (f.profile !== undefined) return [{ dim: 'profile', code: f.profile }];
  if (f.instruments.length) return codes('instrument', f.instruments);
  if (f.programmes.length) return codes('programme', f.programmes);
  if (f.jurisdictions.length) return codes('jurisdiction', f.jurisdictions);
  if (f.topics.length) return codes('topic', f.topics);
  if (f.kinds.length) {
    const kinds = new Set<string>(f.kinds);
    if (f.effectiveAhead !== undefined) kinds.add('effective-soon');
    if (f.deadlineAhead !== undefined) kinds.add('comment-deadline-soon');
    return codes('kind', [...kinds]);
  }
  return [{ dim: 'all', code: '*' }];
}

/** The anchor codes an event is looked up under; `ancestors` gives a jurisdiction and every one above it. */
export function lookupsOf(e: WatchEvent, ancestors: (code: string) => readonly string[]): Anchor[] {
  const out: Anchor[] = [
    { dim: 'all', code: '*' },
    { dim: 'kind', code: e.kind },
  ];
  if (e.profile !== undefined) out.push({ dim: 'profile', code: e.profile });
  if (e.instrument !== undefined) out.push({ dim: 'instrument', code: e.instrument });
  for (const p of e.programmes) out.push({ dim: 'programme', code: p });
  if (e.jurisdiction !== undefined)
    for (const j of ancestors(e.jurisdiction)) out.push({ dim: 'jurisdiction', code: j });
  for (const t of e.topics) out.push({ dim: 'topic', code: t });
  return out;
}

/**
 * Whether a subscription's filter takes an event. Lists narrow (AND between them, OR within one; empty = any).
 * Dates ahead match only the subscription's own N; a profile's eligibility events reach only subscriptions to that
 * profile, and a subscription to a profile hears only of its eligibility.
 */
export function matches(f: SubscriptionFilter, e: WatchEvent, ancestors: (code: string) => readonly string[]): boolean {
  if (f.profile !== undefined || e.profile !== undefined) {
    if (f.profile !== e.profile || e.kind !== 'eligibility-changed') return false;
  } else if (e.kind === 'effective-soon') {
    if (f.effectiveAhead !== e.aheadDays) return false;
  } else if (e.kind === 'comment-deadline-soon') {
    if (f.deadlineAhead !== e.aheadDays) return false;
  } else if (f.kinds.length && !f.kinds.includes(e.kind)) return false;
  if (f.instruments.length && (e.instrument === undefined || !f.instruments.includes(e.instrument))) return false;
  if (f.programmes.length && !e.programmes.some((p) => f.programmes.includes(p))) return false;
  if (f.topics.length && !e.topics.some((t) => f.topics.includes(t))) return false;
  if (f.jurisdictions.length) {
    if (e.jurisdiction === undefined) return false;
    if (!ancestors(e.jurisdiction).some((j) => f.jurisdictions.includes(j))) return false;
  }
  return true;
}
