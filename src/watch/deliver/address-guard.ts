// The SSRF guard: an outgoing request (a webhook now, source monitoring later) may only go to a public http(s)
// address. Literal IPs and every address a host name resolves to are checked against the private, loopback,
// link-local, shared, multicast and reserved ranges (IPv4, IPv6, and IPv4 inside IPv6: mapped ::ffff:a.b.c.d,
// translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d). The IPv6 transition tunnels 6to4
// (2002::/16) and Teredo (2001::/32) are refused whole: both are deprecated, Teredo obfuscates the IPv4 it embeds,
// and either can carry a request to an IPv4 address behind a relay we cannot check.
// Applied when a subscription is made (for the error message) and, by guarded-fetch.ts, to the addresses a
// connection is actually made to, so a name cannot pass the check and then resolve to 127.0.0.1 (DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import net from 'node:net';
import { errors } from '../../errors.ts';
import { formatMessage, type Message } from '../../i18n/messages.ts';

/** Resolves a host name to its addresses (all of them); node:dns lookup by default, a fake one in tests. */
export type HostLookup = (host: string) => Promise<readonly string[]>;

export interface AddressGuardOptions {
  /** Let private, loopback and link-local addresses through (WEBHOOK_ALLOW_PRIVATE=1: tests, closed networks). */
  readonly allowPrivate: boolean;
  readonly lookup?: HostLookup;
}

type Family = 'ipv4' | 'ipv6';

/** Non-public ranges by what they are; the first matching label names an address in messages. */
const RANGES: readonly (readonly [label: string, subnets: readonly (readonly [string, number, Family])[]])[] = [
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ],
  ],
  [
    'link-local',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  ['shared (carrier-grade NAT)', [['100.64.0.0', 10, 'ipv4']]],
  [
    'tunnelled (6to4 or Teredo)',
    [
      ['2002::', 16, 'ipv6'], // 6to4: any IPv4 in bits 16-48, reached through a relay
      ['2001::', 32, 'ipv6'], // Teredo: server IPv4 and an obfuscated client IPv4
    ],
  ],
  [
    'multicast',
    [
      ['224.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
  [
    'reserved',
    [
      ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
      ['192.0.2.0', 24, 'ipv4'], // documentation
      ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast (deprecated)
      ['198.18.0.0', 15, 'ipv4'], // benchmarking
      ['198.51.100.0', 24, 'ipv4'], // documentation
      ['203.0.113.0', 24, 'ipv4'], // documentation
      ['240.0.0.0', 4, 'ipv4'], // future use and 255.255.255.255 broadcast
      ['::', 96, 'ipv6'], // IPv4-compatible (deprecated)
      ['::ffff:0:0:0', 96, 'ipv6'], // IPv4-translated (SIIT)
      ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
      ['100::', 64, 'ipv6'], // discard-only
      ['2001:2::', 48, 'ipv6'], // benchmarking
      ['2001:10::', 28, 'ipv6'], // ORCHID (deprecated)
      ['2001:20::', 28, 'ipv6'], // ORCHIDv2
      ['2001:db8::', 32, 'ipv6'], // documentation
      ['3fff::', 20, 'ipv6'], // documentation
      ['5f00::', 16, 'ipv6'], // segment routing (SRv6) SIDs
      ['fec0::', 10, 'ipv6'], // site-local (deprecated)
    ],
  ],
];

/** One BlockList per label. IPv4-mapped IPv6 (::ffff:a.b.c.d) is matched against the IPv4 rules by BlockList itself;
 * the IPv4 ranges are added again inside the NAT64 prefix 64:ff9b::/96 and the translated prefix ::ffff:0:0:0/96. */
const LISTS: readonly (readonly [string, net.BlockList])[] = RANGES.map(([label, subnets]) => {
  const list = new net.BlockList();
  for (const [address, prefix, family] of subnets) {
    list.addSubnet(address, prefix, family);
    if (family === 'ipv4') {
      list.addSubnet(`64:ff9b::${address}`, 96 + prefix, 'ipv6');
      list.addSubnet(`::ffff:0:${address}`, 96 + prefix, 'ipv6');
    }
  }
  return [label, list] as const;
});

/** What kind of non-public address `ip` is ('loopback', 'private' …), undefined for a public one; 'not an IP address'
 * for anything else. */
export function nonPublicKind(ip: string): string | undefined {
  const address = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = net.isIP(address);
  if (version === 0) return 'not an IP address';
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  for (const [label, list] of LISTS) {
    if (list.check(address, family)) return label;
  }
  return undefined;
}

/** True for an IP address on the public internet; false for private, loopback, link-local … and for non-addresses. */
export function isPublicAddress(ip: string): boolean {
  return nonPublicKind(ip) === undefined;
}

/** How the message catalogue selects each kind of address (error.webhook.nonPublic). */
const KIND_SELECTOR: ReadonlyMap<string, string> = new Map([
  ['link-local', 'linkLocal'],
  ['shared (carrier-grade NAT)', 'shared'],
  ['tunnelled (6to4 or Teredo)', 'tunnelled'],
]);

/** The longest URL an outgoing request may have (a webhook's is refused at subscription time beyond it). */
export const MAX_OUTGOING_URL_LENGTH = 2048;

/** Resolves with node:dns (every address, in the resolver's order). */
export const defaultLookup: HostLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The guard's verdict: the parsed URL and the addresses checked, or why not (retryable: a DNS failure may pass). */
export type UrlVerdict =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string; readonly text: Message };

/** The URL checks that need no DNS: length, syntax, scheme, no credentials, a host. */
export type UrlShape =
  | { readonly ok: true; readonly url: URL; readonly host: string; readonly literal: boolean }
  | { readonly ok: false; readonly retryable: false; readonly reason: string; readonly text: Message };

export function inspectUrlShape(url: string): UrlShape {
  const refuse = (text: Message): UrlShape => ({
    ok: false,
    retryable: false,
    reason: formatMessage('en', text),
    text,
  });
  if (url.length > MAX_OUTGOING_URL_LENGTH) {
    return refuse({ key: 'error.webhook.tooLong', params: { length: url.length, max: MAX_OUTGOING_URL_LENGTH } });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse({ key: 'error.webhook.invalidUrl' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return refuse({ key: 'error.webhook.protocol', params: { protocol: parsed.protocol } });
  }
  if (parsed.username !== '' || parsed.password !== '') return refuse({ key: 'error.webhook.credentials' });
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return refuse({ key: 'error.webhook.noHost' });
  return { ok: true, url: parsed, host, literal: net.isIP(host) !== 0 };
}

/** Why the addresses of host may not be connected to (the first non-public one), or undefined when all are public. */
export function refuseAddresses(host: string, addresses: readonly string[]): Message | undefined {
  for (const address of addresses) {
    const kind = nonPublicKind(address);
    if (kind === undefined) continue;
    return {
      key: 'error.webhook.nonPublic',
      params: {
        address: address === host ? 'host' : 'resolved',
        ip: address,
        host,
        kind: KIND_SELECTOR.get(kind) ?? kind,
      },
    };
  }
  return undefined;
}

/** Checks a webhook URL without throwing: length, scheme, credentials, then every address of its host. */
export async function inspectWebhookUrl(url: string, options: AddressGuardOptions): Promise<UrlVerdict> {
  const refuse = (text: Message, retryable = false): UrlVerdict => ({
    ok: false,
    retryable,
    reason: formatMessage('en', text),
    text,
  });
  const shape = inspectUrlShape(url);
  if (!shape.ok) return shape;
  const { host } = shape;

  let addresses: readonly string[];
  if (shape.literal) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(host);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const params = { host, code: typeof code === 'string' ? code : 'none' };
      return refuse({ key: 'error.webhook.unresolved', params }, true);
    }
    if (addresses.length === 0) return refuse({ key: 'error.webhook.noAddresses', params: { host } }, true);
  }
  if (!options.allowPrivate) {
    const text = refuseAddresses(host, addresses);
    if (text !== undefined) return refuse(text);
  }
  return { ok: true, url: shape.url, addresses };
}

/** Throws an invalid_parameter HorizonError (problem at `param`, default "target") unless the webhook URL may be used. */
export async function checkWebhookUrl(
  url: string,
  options: AddressGuardOptions & { readonly param?: string },
): Promise<void> {
  const verdict = await inspectWebhookUrl(url, options);
  if (!verdict.ok) throw errors.invalidParameter(options.param ?? 'target', verdict.text);
}
