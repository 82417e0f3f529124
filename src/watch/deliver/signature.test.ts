// Webhook signatures: round trip, and refusal of tampered bodies, wrong secrets, stale timestamps, malformed headers.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseSignatureHeader, signWebhook, verifyWebhookSignature, WEBHOOK_HEADERS } from './signature.ts';

const SECRET = 'whsec_test_0123456789';
const BODY = '{"type":"horizon.changes","events":[{"id":1,"title":{"en":"Rules","zh":"规定"}}]}';
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const NOW = T * 1000;

describe('webhook signatures', () => {
  it('names the headers', () => {
    assert.deepEqual(WEBHOOK_HEADERS, {
      signature: 'Horizon-Signature',
      idempotencyKey: 'Idempotency-Key',
      event: 'Horizon-Event',
    });
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and verifies its own signature', () => {
    const header = signWebhook(SECRET, T, BODY);
    const hex = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    assert.equal(header, `t=${T},v1=${hex}`);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW }), true);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW + 299_000 }), true);
  });

  it('refuses a tampered body', () => {
    const header = signWebhook(SECRET, T, BODY);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY.replace('Rules', 'Rulez'), { now: NOW }), false);
    assert.equal(verifyWebhookSignature(SECRET, header, `${BODY}\n`, { now: NOW }), false);
  });

  it('refuses a wrong secret', () => {
    const header = signWebhook('another secret', T, BODY);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW }), false);
  });

  it('refuses stale and future timestamps outside the tolerance', () => {
    const header = signWebhook(SECRET, T, BODY);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW + 301_000 }), false);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW - 301_000 }), false);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW + 3_600_000, toleranceSeconds: 7200 }), true);
  });

  it('refuses a timestamp that was changed after signing', () => {
    const header = signWebhook(SECRET, T, BODY).replace(`t=${T}`, `t=${T + 1}`);
    assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW }), false);
  });

  it('refuses malformed headers without throwing', () => {
    const good = signWebhook(SECRET, T, BODY);
    const hex = good.slice(good.indexOf('v1=') + 3);
    for (const header of [
      undefined,
      null,
      '',
      'garbage',
      `v1=${hex}`,
      `t=${T}`,
      `t=abc,v1=${hex}`,
      `t=${T},v1=${hex.slice(2)}`,
      `t=${T},v1=${hex}zz`,
      `t=${T},v1=${'g'.repeat(64)}`,
      `t=${T},t=${T},v1=${hex}`,
      `t=${T},,v1=${hex}`,
    ]) {
      assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: NOW }), false, String(header));
    }
  });

  it('accepts a header with extra signatures (secret rotation) and unknown schemes', () => {
    const header = signWebhook(SECRET, T, BODY);
    const other = signWebhook('old secret', T, BODY).split(',')[1] ?? '';
    assert.equal(verifyWebhookSignature(SECRET, `${other},${header},v0=abc`, BODY, { now: NOW }), true);
    assert.deepEqual(parseSignatureHeader(header)?.timestamp, T);
  });

  it('refuses to sign a timestamp that is not whole seconds', () => {
    assert.throws(() => signWebhook(SECRET, 1.5, BODY), RangeError);
    assert.throws(() => signWebhook(SECRET, -1, BODY), RangeError);
  });
});
