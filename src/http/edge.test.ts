// The edge's refusals as functions: text faults, strict percent-decoding, Host headers, field paths, the framework's
// errors as catalogue errors, and the start-up refusal of unbounded integers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { HorizonError } from '../errors.ts';
import {
  checkEncoded,
  fieldPath,
  findFault,
  isHostHeader,
  requestError,
  strictFormParser,
  stringFault,
} from './edge.ts';
import { assertBoundedIntegers, lazySerializers, lazyValidators } from './lazy-compilers.ts';

const refusal = (fn: () => unknown): { where: string | undefined; code: string } => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof HorizonError);
    return { where: error.problems[0]?.where, code: error.code };
  }
  assert.fail('not refused');
};

describe('the edge', () => {
  it('finds NUL and unpaired surrogates, not pairs', () => {
    assert.equal(stringFault('a\u0000b'), 'nul');
    assert.equal(stringFault('\ud800'), 'surrogate');
    assert.equal(stringFault('x\udc00'), 'surrogate');
    assert.equal(stringFault('😀 中文'), undefined);
    assert.deepEqual(findFault({ watch: { jurisdictions: ['cn', 'a\u0000'] } }, ''), {
      where: 'watch.jurisdictions.1',
      fault: 'nul',
    });
    assert.deepEqual(findFault({ ['k\ud800']: 1 }, ''), { where: 'k\uFFFD', fault: 'surrogate' });
  });

  it('decodes query and form strings strictly, naming the parameter', () => {
    checkEncoded('a=1&b=%E4%B8%AD&c=+x&d');
    for (const bad of ['%E0%A4%A', '%FF', '%ED%A0%80', '%zz', '%']) {
      assert.deepEqual(
        refusal(() => checkEncoded(`ok=1&kind=${bad}`)),
        { where: 'kind', code: 'invalid_parameter' },
      );
    }
    assert.equal(refusal(() => checkEncoded('%FF=1')).where, 'query');
    assert.equal(refusal(() => strictFormParser('label=%C3%28')).where, 'label');
    const form = strictFormParser('a=1&a=2&constructor=x');
    assert.deepEqual(form.a, ['1', '2']);
    assert.equal(Object.getPrototypeOf(form), null, 'a form is a null-prototype object');
  });

  it('accepts host names and addresses with ports, nothing else', () => {
    for (const host of ['example.com', 'example.com:8080', '127.0.0.1:3000', '[::1]:3000', 'xn--fiqs8s.example']) {
      assert.ok(isHostHeader(host), host);
    }
    for (const host of ['', 'ev il', 'a/b', 'user@host', '[::1', 'host:port', 'a\\b', 'a?b', 'x'.repeat(300)]) {
      assert.ok(!isHostHeader(host), host);
    }
  });

  it('names the exact field of a schema error', () => {
    const additional = { keyword: 'additionalProperties', instancePath: '/watch', params: { additionalProperty: 'x' } };
    assert.equal(fieldPath(additional, 'body'), 'watch.x');
    const required = { keyword: 'required', instancePath: '', params: { missingProperty: 'channel' } };
    assert.equal(fieldPath(required, 'body'), 'channel');
    const type = { keyword: 'type', instancePath: '/watch/jurisdictions/0', params: { type: 'string' } };
    assert.equal(fieldPath(type, 'body'), 'watch.jurisdictions.0');
    assert.equal(fieldPath({ keyword: 'type', instancePath: '', params: {} }, 'body'), 'body');
  });

  it("turns the framework's refusals into catalogue errors, and leaves our faults to the caller", () => {
    const code = (e: unknown) => requestError(e)?.code;
    assert.equal(code({ code: 'FST_ERR_BAD_URL', statusCode: 400 }), 'invalid_url');
    assert.equal(code({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }), 'invalid_body');
    assert.equal(code({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 'payload_too_large');
    assert.equal(code({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), 'unsupported_media_type');
    assert.equal(code({ code: 'FST_ERR_SOMETHING_NEW', statusCode: 400 }), 'bad_request');
    assert.equal(code(new Error('boom')), undefined);
    assert.equal(code({ statusCode: 500 }), undefined);
  });

  it('refuses, at start-up, a route whose schema has an unbounded integer', async () => {
    assert.throws(
      () => assertBoundedIntegers({ type: 'object', properties: { since: { type: 'integer', minimum: 0 } } }, 'GET /x'),
      /since needs a minimum and a maximum/,
    );
    assertBoundedIntegers({ type: 'object', properties: { n: { type: 'integer', minimum: 0, maximum: 9 } } }, 'ok');
    const app = Fastify({
      schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
    });
    app.get('/x', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, () => 'x');
    await assert.rejects(async () => {
      await app.ready();
    }, /n needs a minimum and a maximum/);
  });

  it('validates bodies without coercion and querystrings with it', async () => {
    const app = Fastify({
      ajv: { customOptions: { coerceTypes: 'array' } },
      schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
    });
    const schema = {
      type: 'object',
      properties: { label: { type: 'string' }, codes: { type: 'array', items: { type: 'string' } } },
    };
    app.post('/x', { schema: { body: schema, querystring: schema } }, (request) => ({
      query: request.query,
      body: request.body,
    }));
    const query = await app.inject({ method: 'POST', url: '/x?label=7&codes=cn', payload: {} });
    assert.deepEqual(JSON.parse(query.body), { query: { label: '7', codes: ['cn'] }, body: {} });
    const label = await app.inject({ method: 'POST', url: '/x', payload: { label: 7 } });
    assert.equal(label.statusCode, 400);
    const codes = await app.inject({ method: 'POST', url: '/x', payload: { codes: 'cn' } });
    assert.equal(codes.statusCode, 400);
    await app.close();
  });
});
