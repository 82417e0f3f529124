// Slow and idle clients against a real server on a loopback port with short limits: requests whose headers or body
// trickle in are cut off at their deadline (408), silent and kept-alive connections are closed, connections beyond the
// cap are closed as they arrive — and ordinary requests are answered meanwhile. Server limits do not depend on the
// database, so this runs on PGlite only.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { HttpLimits } from '../../src/config/config.ts';
import { buildApp } from '../../src/server.ts';
import type { Database } from '../../src/store/database.ts';
import { pglite } from '../support/databases.ts';
import { TEST_SECRETS } from '../support/server.ts';

/** What became of one hostile connection: when the server closed it and what it had said by then. */
interface Outcome {
  readonly closedAfterMs: number;
  readonly data: string;
}

/** What a hostile client does once connected; `every` repeats a write until the server closes the connection. */
type Behaviour = (socket: net.Socket, every: (ms: number, write: () => void) => void) => void;

/**
 * Opens a connection and runs `behave` on it (writes, trickles); resolves when the server closes it, or rejects when
 * it is still open after `giveUpMs` (the test then fails).
 */
function hostile(port: number, behave: Behaviour, giveUpMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timers: NodeJS.Timeout[] = [];
    const give = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => undefined); // a reset is one way of being closed
    socket.on('close', () => {
      clearTimeout(give);
      for (const t of timers) clearInterval(t);
      resolve({ closedAfterMs: performance.now() - started, data });
    });
    socket.on('connect', () =>
      behave(socket, (ms, write) => {
        timers.push(setInterval(() => socket.destroyed || write(), ms));
      }),
    );
  });
}

/** Sends `first`, then `chunk` every `everyMs`: a request that never ends. */
const trickle =
  (first: string, chunk: string, everyMs: number): Behaviour =>
  (socket, every) => {
    socket.write(first);
    every(everyMs, () => socket.write(chunk));
  };

/** An ordinary request on a connection of its own; resolves with its status and how long it took. */
function ordinary(port: number, path = '/healthz'): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(db: Database, limits: HttpLimits): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({ db, logLevel: 'silent', http: limits, secrets: TEST_SECRETS });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object');
  return { app, port: address.port };
}

describe('slow and idle clients', () => {
  let db: Database;
  before(async () => {
    db = await pglite.open();
  });
  after(() => db.close());

  // Generous slack: the machine is shared and slow; the limits themselves are short.
  const SLACK = 2500;
  const LIMITS: HttpLimits = {
    headersTimeoutMs: 500,
    requestTimeoutMs: 1000,
    idleTimeoutMs: 1500,
    keepAliveTimeoutMs: 300,
    maxConnections: 200,
  };

  it('cuts off 10 header tricklers, 10 body tricklers, 5 silent and 1 kept-alive connection; others are served', async () => {
    const { app, port } = await serve(db, LIMITS);
    try {
      const headers = Array.from({ length: 10 }, () =>
        hostile(port, trickle('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 100), 10_000),
      );
      const bodies = Array.from({ length: 10 }, () =>
        hostile(
          port,
          trickle(
            'POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
            ' ',
            50,
          ),
          10_000,
        ),
      );
      const silent = Array.from({ length: 5 }, () => hostile(port, () => undefined, 10_000));
      const keptAlive = hostile(port, (s) => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), 10_000);

      // Meanwhile, ordinary requests are answered at once (the server is not waiting on anyone).
      await wait(200);
      for (let i = 0; i < 5; i++) {
        const r = await ordinary(port);
        assert.equal(r.status, 200);
        assert.ok(r.ms < 1000, `an ordinary request took ${Math.round(r.ms)} ms`);
      }

      for (const o of await Promise.all(headers)) {
        assert.ok(o.closedAfterMs >= LIMITS.headersTimeoutMs * 0.8, `headers cut at ${Math.round(o.closedAfterMs)} ms`);
        assert.ok(
          o.closedAfterMs <= LIMITS.headersTimeoutMs + SLACK,
          `headers cut at ${Math.round(o.closedAfterMs)} ms`,
        );
        assert.match(o.data, /^HTTP\/1\.1 408 /);
      }
      for (const o of await Promise.all(bodies)) {
        assert.ok(
          o.closedAfterMs >= LIMITS.requestTimeoutMs * 0.8,
          `body cut at ${Math.round(o.closedAfterMs)} ms: ${o.data}`,
        );
        assert.ok(o.closedAfterMs <= LIMITS.requestTimeoutMs + SLACK, `body cut at ${Math.round(o.closedAfterMs)} ms`);
        assert.match(o.data, /^HTTP\/1\.1 408 /);
      }
      for (const o of await Promise.all(silent)) {
        assert.ok(
          o.closedAfterMs <= LIMITS.idleTimeoutMs + SLACK,
          `silent closed at ${Math.round(o.closedAfterMs)} ms`,
        );
        // Node counts the header deadline from the connection's start, so a silent one gets its 408 then.
        assert.ok(o.data === '' || o.data.startsWith('HTTP/1.1 408 '), o.data);
      }
      const k = await keptAlive;
      assert.match(k.data, /^HTTP\/1\.1 200 /, 'the kept-alive request was answered');
      assert.ok(
        k.closedAfterMs <= LIMITS.keepAliveTimeoutMs + SLACK,
        `kept alive for ${Math.round(k.closedAfterMs)} ms`,
      );
      assert.equal((await ordinary(port)).status, 200, 'still serving afterwards');
    } finally {
      await app.close();
    }
  });

  it('closes the connections beyond the cap as they arrive (10 held, 10 more refused), and serves again once freed', async () => {
    const cap = 10;
    const { app, port } = await serve(db, {
      ...LIMITS,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 20_000,
      idleTimeoutMs: 20_000,
      maxConnections: cap,
    });
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < cap; i++) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        held.push(s);
      }
      // Wait until the server has accepted all of them (accepting is asynchronous to the client's connect).
      for (let i = 0; i < 100; i++) {
        const n = await new Promise<number>((r) => app.server.getConnections((_, count) => r(count)));
        if (n === cap) break;
        await wait(20);
      }
      const extra = await Promise.all(
        Array.from({ length: 10 }, () =>
          hostile(port, (s) => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), 5000),
        ),
      );
      for (const o of extra) {
        assert.equal(o.data, '', 'refused before anything was read');
        assert.ok(o.closedAfterMs < 2000, `refused after ${Math.round(o.closedAfterMs)} ms`);
      }
      assert.ok(
        held.every((s) => !s.destroyed),
        'the held connections stay open',
      );
      for (const s of held) s.destroy();
      for (let i = 0; i < 100; i++) {
        const n = await new Promise<number>((r) => app.server.getConnections((_, count) => r(count)));
        if (n === 0) break;
        await wait(20);
      }
      assert.equal((await ordinary(port)).status, 200, 'served again once connections are freed');
    } finally {
      for (const s of held) s.destroy();
      await app.close();
    }
  });
});
