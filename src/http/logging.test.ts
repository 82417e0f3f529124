import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, maskUrl } from './logging.ts';

const TOKEN = 'Yt6nB1qWm8Kx3Rz5Vp9Ls2Dj7Fh4Gc0A';

describe('log URLs', () => {
  it('masks credential-named query values and token-shaped values and path segments', () => {
    const cases: [string, string][] = [
      [`/feeds/subscriptions/s_abc.atom?token=hzf_${TOKEN}`, `/feeds/subscriptions/s_abc.atom?token=${MASK}`],
      [`/feeds/subscriptions/s_abc.ics?lang=zh&token=x`, `/feeds/subscriptions/s_abc.ics?lang=zh&token=${MASK}`],
      [`/x?Token=a&TOKEN=b&owner_token=c`, `/x?Token=${MASK}&TOKEN=${MASK}&owner_token=${MASK}`],
      [`/x?secret=whsec_1&api_key=2&password=3&sig=4`, `/x?secret=${MASK}&api_key=${MASK}&password=${MASK}&sig=4`],
      [`/x?t%6Fken=abc`, `/x?t%6Fken=${MASK}`],
      [`/x?q=hzo_${TOKEN}`, `/x?q=${MASK}`],
      [`/x?q=${encodeURIComponent(`hzo_${TOKEN}`)}`, `/x?q=${MASK}`],
      [`/x?hzo_${TOKEN}`, `/x?${MASK}`],
      [`/confirm/hzc_${TOKEN}`, `/confirm/${MASK}`],
      [`/feeds/subscriptions/hzf_${TOKEN}.atom`, `/feeds/subscriptions/${MASK}`],
      [`/api/v1/profiles/${TOKEN}`, `/api/v1/profiles/${MASK}`],
      [`/x/%E0%A4%A/${TOKEN}`, `/x/%E0%A4%A/${MASK}`],
    ];
    for (const [url, masked] of cases) assert.equal(maskUrl(url), masked, url);
  });

  it('keeps ordinary addresses readable', () => {
    for (const url of [
      '/',
      '/instruments/cn-gd-shenzhen-ai-industry-regulations?as_of=2024-01-01&lang=zh',
      '/articles/ai-initiatives-in-china/compare?from=2023-11-27&to=2026-11-29',
      '/api/v1/subscriptions/s_AbCdEfGhIjKl/deliveries?state=dead',
      '/static/guide.css?v=3f2a9c1b',
      '/search?q=generative+ai',
      '/%',
      '/x?a&b=&=c',
    ]) {
      assert.equal(maskUrl(url), url);
    }
  });
});
