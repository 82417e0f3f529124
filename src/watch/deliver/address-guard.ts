// The webhook SSRF guard: a webhook may only go to a public http(s) address. Literal IPs and every address a host name
// resolves to are checked against the private, loopback, link-local, shared, multicast and reserved ranges (IPv4,
// IPv6, and IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d).
// Applied when a subscription is made and again at each send, since DNS answers can change.
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
      ['198.18.0.0', 15, 'ipv4'], // benchmarking
      ['198.51.100.0', 24, 'ipv4'], // documentation
      ['203.0.113.0', 24, 'ipv4'], // documentation
      ['240.0.0.0', 4, 'ipv4'], // future use and 255.255.255.255 broadcast
      ['::', 96, 'ipv6'], // IPv4-compatible (deprecated)
      ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
      ['100::', 64, 'ipv6'], // discard-only
      ['2001:db8::', 32, 'ipv6'], // documentation
      ['fec0::', 10, 'ipv6'], // site-local (deprecated)
    ],
  ],
];

/** One BlockList per label. IPv4-mapped IPv6 (::ffff:a.b.c.d) is matched against the IPv4 rules by BlockList itself;
 * the IPv4 ranges are added again inside the NAT64 prefix 64:ff9b::/96. */
const LISTS: readonly (readonly [string, net.BlockList])[] = RANGES.map(([label, subnets]) => {
  const list = new net.BlockList();
  for (const [address, prefix, family] of subnets) {
    list.addSubnet(address, prefix, family);
    if (family === 'ipv4') list.addSubnet(`64:ff9b::${address}`, 96 + prefix, 'ipv6');
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
const KIND_SELECTOR: Readonly<Record<string, string>> = {
  'link-local': 'linkLocal',
  'shared (carrier-grade NAT)': 'shared',
};

const defaultLookup: HostLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The guard's verdict: the parsed URL and the addresses checked, or why not (retryable: a DNS failure may pass). */
export type UrlVerdict =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string; readonly text: Message };

/** Checks a webhook URL without throwing: scheme, credentials, then every address of its host. */
export async function inspectWebhookUrl(url: string, options: AddressGuardOptions): Promise<UrlVerdict> {
  const refuse = (text: Message, retryable = false): UrlVerdict => ({
    ok: false,
    retryable,
    reason: formatMessage('en', text),
    text,
  });
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

  let addresses: readonly string[];
  if (net.isIP(host) !== 0) {
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
    for (const address of addresses) {
      const kind = nonPublicKind(address);
      if (kind === undefined) continue;
      return refuse({
        key: 'error.webhook.nonPublic',
        params: {
          address: address === host ? 'host' : 'resolved',
          ip: address,
          host,
          kind: KIND_SELECTOR[kind] ?? kind,
        },
      });
    }
  }
  return { ok: true, url: parsed, addresses };
}

/** Throws an invalid_parameter HorizonError (problem at `param`, default "target") unless the webhook URL may be used. */
export async function checkWebhookUrl(
  url: string,
  options: AddressGuardOptions & { readonly param?: string },
): Promise<void> {
  const verdict = await inspectWebhookUrl(url, options);
  if (!verdict.ok) throw errors.invalidParameter(options.param ?? 'target', verdict.text);
}
