// Outgoing HTTP that connects only to the addresses the SSRF guard passed: an undici Agent whose connect.lookup
// resolves the host, applies the guard to every address and hands back only guarded ones, so the address checked is
// the address connected to (no DNS rebinding between a check and the connection). Used for webhook sends, and meant
// for source monitoring's fetches of official sites. Redirects are never followed here: a caller that wants to follow
// one calls guardedFetch again with the new URL, which is then checked like any other.
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import { Agent, fetch, type RequestInit, type Response } from 'undici';
import { formatMessage, type Message } from '../../i18n/messages.ts';
import {
  defaultLookup,
  inspectUrlShape,
  refuseAddresses,
  type AddressGuardOptions,
  type HostLookup,
} from './address-guard.ts';

/** Thrown by guardedFetch when the guard refuses the URL or an address it resolves to; nothing was sent. */
export class OutgoingRefused extends Error {
  /** The reason in English, for logs and delivery records. */
  readonly reason: string;
  constructor(
    readonly text: Message,
    readonly retryable: boolean,
  ) {
    const reason = formatMessage('en', text);
    super(reason);
    this.reason = reason;
    this.name = 'OutgoingRefused';
  }
}

/** The error the connect-time lookup fails with; guardedFetch turns it into OutgoingRefused. */
class RefusedAddress extends Error {
  readonly code = 'ERR_ADDRESS_REFUSED';
  constructor(readonly text: Message) {
    super(formatMessage('en', text));
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A net.connect `lookup` that resolves with `lookup` and refuses (unless allowPrivate) any non-public answer. */
export function guardedLookup(options: AddressGuardOptions) {
  const resolve: HostLookup = options.lookup ?? defaultLookup;
  return (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const addresses = found
          .map((address) => ({ address, family: net.isIP(address) }))
          .filter((a) => a.family !== 0 && (wanted === 0 || a.family === wanted));
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`no usable address for ${hostname}`), { code: 'ENOTFOUND' }), []);
          return;
        }
        // Every answer is checked, not only the ones handed on: a name with one private address is refused whole.
        const reason = options.allowPrivate ? undefined : refuseAddresses(hostname, found);
        if (reason !== undefined) {
          callback(new RefusedAddress(reason), []);
          return;
        }
        const [first] = addresses;
        if (lookupOptions.all) callback(null, addresses);
        else if (first) callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, []),
    );
  };
}

/** An Agent that connects only through guardedLookup (its pooled connections were all made through the guard). */
export function guardedAgent(options: AddressGuardOptions): Agent {
  return new Agent({ connect: { lookup: guardedLookup(options) } });
}

const agents = new Map<boolean, Agent>();
const injected = new WeakMap<HostLookup, Map<boolean, Agent>>();

/** One Agent per guard setting (and per injected lookup, for tests), so connections are pooled. */
function agentFor(options: AddressGuardOptions): Agent {
  const byPrivate = options.lookup ? (injected.get(options.lookup) ?? new Map<boolean, Agent>()) : agents;
  if (options.lookup && !injected.has(options.lookup)) injected.set(options.lookup, byPrivate);
  let agent = byPrivate.get(options.allowPrivate);
  if (!agent) {
    agent = guardedAgent(options);
    byPrivate.set(options.allowPrivate, agent);
  }
  return agent;
}

function refusedCause(e: unknown): RefusedAddress | undefined {
  for (let cause = e, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof RefusedAddress) return cause;
  }
  return undefined;
}

export type GuardedRequestInit = Omit<RequestInit, 'dispatcher' | 'redirect'>;

/**
 * fetch() through the guard: the URL's shape and a literal address are checked first (net.connect does no lookup
 * for those), a host name at connect time. Throws OutgoingRefused when refused; other errors are fetch's own.
 */
export async function guardedFetch(
  url: string,
  init: GuardedRequestInit,
  options: AddressGuardOptions,
): Promise<Response> {
  const shape = inspectUrlShape(url);
  if (!shape.ok) throw new OutgoingRefused(shape.text, false);
  if (shape.literal && !options.allowPrivate) {
    const reason = refuseAddresses(shape.host, [shape.host]);
    if (reason !== undefined) throw new OutgoingRefused(reason, false);
  }
  try {
    return await fetch(shape.url, { ...init, redirect: 'manual', dispatcher: agentFor(options) });
  } catch (e) {
    const refused = refusedCause(e);
    if (refused) throw new OutgoingRefused(refused.text, false);
    throw e;
  }
}
