// The webhook SSRF guard with a fake DNS lookup (no network): every non-public range refused, public addresses allowed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HorizonError } from '../../errors.ts';
import {
  MAX_OUTGOING_URL_LENGTH,
  checkWebhookUrl,
  inspectWebhookUrl,
  isPublicAddress,
  nonPublicKind,
  type HostLookup,
} from './address-guard.ts';

const DNS: Readonly<Record<string, readonly string[]>> = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'mixed.example.com': ['93.184.216.34', '10.1.2.3', '93.184.216.35'],
  'mapped.example.com': ['::ffff:192.168.1.1'],
  'localhost.example.com': ['127.0.0.1'],
  'empty.example.com': [],
};
const lookups: string[] = [];
const lookup: HostLookup = (host) => {
  lookups.push(host);
  const found = DNS[host];
  if (found) return Promise.resolve(found);
  return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
};

async function refused(url: string, pattern: RegExp, allowPrivate = false): Promise<void> {
  await assert.rejects(checkWebhookUrl(url, { allowPrivate, lookup }), (e: unknown) => {
    assert.ok(e instanceof HorizonError);
    assert.equal(e.code, 'invalid_parameter');
    assert.equal(e.status, 400);
    assert.equal(e.problems[0]?.where, 'target');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('isPublicAddress', () => {
  const cases: readonly (readonly [string, string | undefined])[] = [
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['100.127.255.254', 'shared (carrier-grade NAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['93.184.216.34', undefined],
    ['8.8.8.8', undefined],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['2606:2800:220:1:248:1893:25c8:1946', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::8.8.8.8', undefined],
    ['not-an-ip', 'not an IP address'],
    // IPv6 transition tunnels, refused whole (documented in address-guard.ts): 6to4 with private, loopback and public
    // IPv4 inside, Teredo whatever its server and (obfuscated) client address.
    ['2002:7f00:1::', 'tunnelled (6to4 or Teredo)'],
    ['2002:0a00:0001::1', 'tunnelled (6to4 or Teredo)'],
    ['2002:c0a8:0101::1', 'tunnelled (6to4 or Teredo)'],
    ['2002:a9fe:a9fe::', 'tunnelled (6to4 or Teredo)'],
    ['2002:0808:0808::1', 'tunnelled (6to4 or Teredo)'],
    ['2002::1', 'tunnelled (6to4 or Teredo)'],
    ['2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'tunnelled (6to4 or Teredo)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'tunnelled (6to4 or Teredo)'],
    ['2001:0:7f00:1::80ff:fffe', 'tunnelled (6to4 or Teredo)'],
    ['2001::1', 'tunnelled (6to4 or Teredo)'],
    ['2001:0:ffff:ffff:ffff:ffff:ffff:ffff', 'tunnelled (6to4 or Teredo)'],
    // IPv4 inside IPv6: NAT64, mapped (dotted and hex), translated (SIIT), compatible.
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::100.64.0.1', 'shared (carrier-grade NAT)'],
    ['64:ff9b::0.0.0.0', 'unspecified'],
    ['64:ff9b:1::1', 'reserved'],
    ['::ffff:c0a8:101', 'private'],
    ['::ffff:172.16.0.1', 'private'],
    ['::ffff:100.64.0.1', 'shared (carrier-grade NAT)'],
    ['::ffff:224.0.0.1', 'multicast'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['::ffff:0:8.8.8.8', 'reserved'],
    ['::10.0.0.1', 'reserved'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['0000:0000:0000:0000:0000:0000:7f00:0001', 'reserved'],
    // Other special-purpose ranges.
    ['192.88.99.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['2001:10::1', 'reserved'],
    ['2001:20::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['5f00::1', 'reserved'],
    ['100::1', 'reserved'],
    ['fec0::1', 'reserved'],
    ['FE80::1', 'link-local'],
    ['[fd00::1]', 'private'],
    // Public neighbours of the blocked ranges stay public.
    ['2003::1', undefined],
    ['2001:4860:4860::8888', undefined],
    ['2001:1::2', undefined],
    ['64:ff9b::1.1.1.1', undefined],
    ['192.88.100.1', undefined],
  ];
  for (const [ip, kind] of cases) {
    it(`${ip} is ${kind ?? 'public'}`, () => {
      assert.equal(nonPublicKind(ip), kind);
      assert.equal(isPublicAddress(ip), kind === undefined);
    });
  }
});

describe('checkWebhookUrl', () => {
  it('allows public addresses and host names that resolve only to them', async () => {
    await checkWebhookUrl('https://hooks.example.com/horizon?x=1', { allowPrivate: false, lookup });
    await checkWebhookUrl('http://93.184.216.34:8080/hook', { allowPrivate: false, lookup });
    await checkWebhookUrl('https://[2606:2800:220:1:248:1893:25c8:1946]/hook', { allowPrivate: false, lookup });
    const verdict = await inspectWebhookUrl('https://hooks.example.com/', { allowPrivate: false, lookup });
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.addresses, DNS['hooks.example.com']);
  });

  it('refuses each non-public range given as a literal address', async () => {
    for (const host of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.1.1',
      '224.0.0.251',
      '[::1]',
      '[::]',
      '[fd00::1]',
      '[fe80::1]',
      '[ff02::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
    ]) {
      await refused(`http://${host}/hook`, /webhook address .* is an? .* address; webhooks go only to public/);
    }
  });

  it('refuses hostile URLs of every shape with the reason, and no lookup reaches a refused literal', async () => {
    const hostile: readonly (readonly [string, RegExp])[] = [
      [`https://hooks.example.com/${'a'.repeat(MAX_OUTGOING_URL_LENGTH)}`, /characters long; at most 2048/],
      [`https://hooks.example.com/?q=${'x'.repeat(60_000)}`, /60\d{3} characters long; at most 2048/],
      [`https://${'a'.repeat(2100)}.example.com/`, /characters long; at most 2048/],
      ['http://[2002:7f00:1::]/hook', /2002:7f00:1:: is a tunnelled \(6to4 or Teredo\) address/],
      ['http://[2002:a9fe:a9fe::]/latest/meta-data/', /a tunnelled \(6to4 or Teredo\) address/],
      ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', /a tunnelled \(6to4 or Teredo\) address/],
      ['http://[64:ff9b::a9fe:a9fe]/', /a link-local address/],
      ['http://[64:ff9b::127.0.0.1]/', /a loopback address/],
      ['http://[::ffff:0:127.0.0.1]/', /a loopback address/],
      ['http://[::127.0.0.1]/', /a reserved address/],
      ['http://[0:0:0:0:0:ffff:7f00:1]/', /a loopback address/],
      ['http://0/', /0\.0\.0\.0 is an unspecified address/],
      ['http://0x0a.0.0.1/', /10\.0\.0\.1 is a private address/],
      ['http://0251.0376.0251.0376/', /169\.254\.169\.254 is a link-local address/],
      ['http://3232235777/', /192\.168\.1\.1 is a private address/],
      ['http://127.0.0.1.:8080/', /127\.0\.0\.1 is a loopback address/],
      ['http://[fe80::1%25eth0]/', /not a valid URL/],
      ['gopher://hooks.example.com/', /must use http/],
      ['data:text/plain,hi', /must use http/],
      ['ws://hooks.example.com/', /must use http/],
      ['http://:pw@hooks.example.com/', /user name or password/],
      ['http:///hook', /the webhook host hook cannot be resolved/],
      ['https://rebind.example.com/', /resolves to 127\.0\.0\.1, a loopback address/],
      ['https://six.example.com/', /resolves to 2002:a00:1::1, a tunnelled/],
      ['https://teredo.example.com/', /resolves to 2001::abcd, a tunnelled/],
    ];
    const hostileLookup: HostLookup = (host) =>
      host === 'rebind.example.com'
        ? Promise.resolve(['93.184.216.34', '127.0.0.1'])
        : host === 'six.example.com'
          ? Promise.resolve(['2002:a00:1::1'])
          : host === 'teredo.example.com'
            ? Promise.resolve(['2001::abcd'])
            : lookup(host);
    for (const [url, pattern] of hostile) {
      const verdict = await inspectWebhookUrl(url, { allowPrivate: false, lookup: hostileLookup });
      assert.ok(!verdict.ok, `${url.slice(0, 80)} must be refused`);
      assert.match(verdict.reason, pattern, url.slice(0, 80));
    }
  });

  it('names the field when a webhook URL is too long, before any lookup', async () => {
    lookups.length = 0;
    const url = `https://hooks.example.com/${'x'.repeat(MAX_OUTGOING_URL_LENGTH)}`;
    await assert.rejects(checkWebhookUrl(url, { allowPrivate: true, lookup, param: 'url' }), (e: unknown) => {
      assert.ok(e instanceof HorizonError);
      assert.equal(e.problems[0]?.where, 'url');
      assert.match(e.problems[0]?.message ?? '', /is 2074 characters long; at most 2048 are allowed/);
      return true;
    });
    assert.deepEqual(lookups, []);
    const longest = `https://hooks.example.com/${'x'.repeat(MAX_OUTGOING_URL_LENGTH - 26)}`;
    assert.equal(longest.length, MAX_OUTGOING_URL_LENGTH);
    await checkWebhookUrl(longest, { allowPrivate: false, lookup });
  });

  it('refuses other spellings of loopback that the URL parser normalizes (decimal, hex, short forms)', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://017700000001/']) {
      await refused(url, /127\.0\.0\.1 is a loopback address/);
    }
  });

  it('refuses a host name when any of its addresses is private, even among public ones', async () => {
    await refused(
      'https://mixed.example.com/hook',
      /host mixed\.example\.com resolves to 10\.1\.2\.3, a private address/,
    );
    await refused('https://mapped.example.com/hook', /resolves to ::ffff:192\.168\.1\.1, a private address/);
    await refused('https://localhost.example.com/hook', /a loopback address/);
  });

  it('refuses schemes other than http and https, and credentials in the URL', async () => {
    await refused('ftp://hooks.example.com/x', /must use http:\/\/ or https:\/\/ \(got ftp:\)/);
    await refused('file:///etc/passwd', /must use http:\/\/ or https:\/\//);
    await refused('javascript:alert(1)', /must use http:\/\/ or https:\/\//);
    await refused('https://user:pass@hooks.example.com/x', /user name or password/);
    await refused('https://user@hooks.example.com/x', /user name or password/);
    await refused('not a url', /not a valid URL/);
  });

  it('refuses host names that do not resolve; the verdict marks that retryable', async () => {
    await refused('https://nowhere.example.com/', /cannot be resolved \(ENOTFOUND\)/);
    await refused('https://empty.example.com/', /has no addresses/);
    const verdict = await inspectWebhookUrl('https://nowhere.example.com/', { allowPrivate: false, lookup });
    assert.deepEqual(verdict.ok ? undefined : verdict.retryable, true);
    const privateVerdict = await inspectWebhookUrl('http://10.0.0.1/', { allowPrivate: false, lookup });
    assert.deepEqual(privateVerdict.ok ? undefined : privateVerdict.retryable, false);
  });

  it('lets private and loopback addresses through with allowPrivate, but still checks scheme and credentials', async () => {
    await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivate: true, lookup });
    await checkWebhookUrl('http://[::1]/hook', { allowPrivate: true, lookup });
    await checkWebhookUrl('https://mixed.example.com/hook', { allowPrivate: true, lookup });
    await refused('ftp://127.0.0.1/', /http:\/\/ or https:\/\//, true);
    await refused('http://a:b@127.0.0.1/', /user name or password/, true);
  });

  it('does not look up literal addresses, and names the parameter it was given', async () => {
    lookups.length = 0;
    await checkWebhookUrl('http://8.8.8.8/', { allowPrivate: false, lookup });
    assert.deepEqual(lookups, []);
    await assert.rejects(
      checkWebhookUrl('http://10.0.0.1/', { allowPrivate: false, lookup, param: 'subscription.target' }),
      (e: unknown) => e instanceof HorizonError && e.problems[0]?.where === 'subscription.target',
    );
  });
});
