import axios, { AxiosError } from 'axios';
import type { AxiosInstance } from 'axios';
import { Agent, createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startFaultProxy } from './fault-proxy';
import type { FaultKind, FaultProxy, FaultRule } from './fault-proxy';

/** What the real upstream saw: each request, whether its body arrived whole, and from which Host. */
interface Seen {
  method: string;
  url: string;
  host: string;
  bytes: number;
  complete: boolean;
  headers: Record<string, unknown>;
}

let upstream: Server;
let upstreamUrl: string;
let seen: Seen[];
const BIG = Buffer.alloc(64 * 1024, 'x');

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const entry: Seen = { method: req.method!, url: req.url!, host: req.headers.host!, bytes: 0, complete: false, headers: req.headers };
    seen.push(entry);
    req.on('data', (c: Buffer) => (entry.bytes += c.length));
    req.on('end', () => {
      entry.complete = true;
      if (req.url === '/small') res.writeHead(204).end();
      else if (req.url === '/big') res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BIG.length }).end(BIG);
      else res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(JSON.stringify({ got: entry.bytes }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

let proxy: FaultProxy;
let agent: Agent;
let http: AxiosInstance;

async function useProxy(rules: FaultRule[], extra: { seed?: number; host?: 'preserve' | 'upstream' } = {}): Promise<void> {
  proxy = await startFaultProxy({ upstream: upstreamUrl, rules, ...extra });
  http = axios.create({ baseURL: proxy.url, httpAgent: agent, validateStatus: () => true });
}

/** The error code a real client gets, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof AxiosError ? (err.code ?? err.message) : String(err);
  }
}

async function until(what: string, check: () => boolean): Promise<void> {
  // A deadline, not a count of 10 ms naps: on a loaded box each nap is longer and 200 of them were ~2 s for a request to arrive.
  for (const end = Date.now() + 10_000; Date.now() < end && !check(); ) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

const only = (kind: FaultKind, n: number) => expect(proxy.counts).toEqual({ ...zero(), [kind]: n });
const zero = () => ({ pass: 0, respond: 0, 'reset-request': 0, 'reset-response': 0, stall: 0, 'drop-response': 0 });

beforeEach(() => {
  seen = [];
  agent = new Agent({ keepAlive: false });
});
afterEach(async () => {
  await proxy?.stop();
  agent.destroy();
});

describe('fault proxy between a real client and a real upstream', () => {
  it('passes requests through: method, path, query, headers, body, status and response headers', async () => {
    await useProxy([]);
    const res = await http.post('/v1/sync/push?x=1', { ops: [1, 2] }, { headers: { 'x-op': 'abc' } });
    expect(res.status).toBe(201);
    expect(res.headers['x-upstream']).toBe('yes');
    expect(res.data).toEqual({ got: JSON.stringify({ ops: [1, 2] }).length });
    expect(seen).toMatchObject([{ method: 'POST', url: '/v1/sync/push?x=1', complete: true, headers: { 'x-op': 'abc' } }]);
    only('pass', 1);
  });

  it('answers 503 without forwarding', async () => {
    await useProxy([{ action: { kind: 'respond', status: 503 } }]);
    const res = await http.post('/v1/sync/push', { a: 1 });
    expect(res.status).toBe(503);
    expect(seen).toEqual([]);
    only('respond', 1);
  });

  it('answers 429 with Retry-After in seconds and in HTTP-date form', async () => {
    const at = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    await useProxy([
      { path: '/seconds', action: { kind: 'respond', status: 429, retryAfter: 7 } },
      { path: '/date', action: { kind: 'respond', status: 429, retryAfter: at } },
    ]);
    const bySeconds = await http.get('/seconds');
    const byDate = await http.get('/date');
    expect([bySeconds.status, bySeconds.headers['retry-after']]).toEqual([429, '7']);
    expect([byDate.status, byDate.headers['retry-after']]).toEqual([429, 'Wed, 02 Jan 2030 03:04:05 GMT']);
    expect(seen).toEqual([]);
    only('respond', 2);
  });

  it('resets the connection mid-request body: the upstream sees a partial body, the client an error', async () => {
    await useProxy([{ action: { kind: 'reset-request', afterBytes: 1000 } }]);
    const code = await outcome(http.put('/blob', BIG, { headers: { 'content-type': 'application/octet-stream' } }));
    expect(['ECONNRESET', 'EPIPE']).toContain(code);
    await until('the upstream to see the request', () => seen.length === 1);
    expect(seen[0]!.complete).toBe(false);
    expect(seen[0]!.bytes).toBe(1000);
    only('reset-request', 1);
  });

  it('resets a request without a body right after forwarding its head', async () => {
    await useProxy([{ action: { kind: 'reset-request' } }]);
    expect(await outcome(http.get('/head-only'))).toBe('ECONNRESET');
    await until('the upstream to see the request', () => seen.length === 1);
    expect(seen).toMatchObject([{ url: '/head-only', bytes: 0 }]);
    only('reset-request', 1);
  });

  it('resets the connection mid-response: the upstream answered, the client gets a truncated body', async () => {
    await useProxy([
      { path: '/big', action: { kind: 'reset-response', afterBytes: 100 } },
      { path: '/small', action: { kind: 'reset-response' } },
    ]);
    const code = await outcome(http.get('/big', { responseType: 'text' }));
    expect(['ECONNRESET', 'ERR_BAD_RESPONSE']).toContain(code);
    expect(seen).toMatchObject([{ url: '/big', complete: true }]);
    expect(await outcome(http.get('/small'))).toBe('ECONNRESET'); // no body to cut: reset before the head
    expect(seen).toMatchObject([{ url: '/big' }, { url: '/small', complete: true }]);
    only('reset-response', 2);
  });

  it('stalls a request before forwarding it, or stalls and then drops it', async () => {
    await useProxy([
      { path: '/late', action: { kind: 'stall', ms: 1000, then: 'forward' } },
      { path: '/never', action: { kind: 'stall', ms: 50, then: 'drop' } },
    ]);
    const late = http.get('/late');
    await until('the proxy to hold /late', () => proxy.events.length === 1);
    expect(seen).toEqual([]);
    expect((await late).status).toBe(201);
    expect(seen).toMatchObject([{ url: '/late' }]);
    expect(await outcome(http.get('/never'))).toBe('ECONNRESET');
    expect(seen.map((s) => s.url)).toEqual(['/late']);
    only('stall', 2);
  });

  it('drops the response after the upstream acted: the client never hears, a retry acts twice', async () => {
    await useProxy([{ method: 'POST', path: '/v1/sync/push', times: 1, action: { kind: 'drop-response' } }]);
    expect(await outcome(http.post('/v1/sync/push', { id: 'op-1' }))).toBe('ECONNRESET');
    expect(seen).toMatchObject([{ url: '/v1/sync/push', complete: true }]);
    expect((await http.post('/v1/sync/push', { id: 'op-1' })).status).toBe(201);
    expect(seen).toHaveLength(2);
    expect(proxy.counts).toEqual({ ...zero(), 'drop-response': 1, pass: 1 });
  });

  it('refuses connections while down and serves on the same port when up again', async () => {
    await useProxy([]);
    const url = proxy.url;
    await proxy.setDown(true);
    expect(await outcome(http.get('/x'))).toBe('ECONNREFUSED');
    await proxy.setDown(false);
    expect(proxy.url).toBe(url);
    expect((await http.get('/x')).status).toBe(201);
    only('pass', 1);
  });
});

describe('fault plan', () => {
  it('picks the first rule matching method and path, until its `times` run out', async () => {
    await useProxy([
      { method: 'PUT', path: /^\/v1\/screenshots\//, times: 2, action: { kind: 'respond', status: 500 } },
      { when: (r) => r.headers['x-chaos'] === 'on', action: { kind: 'respond', status: 502 } },
    ]);
    const statuses = [];
    for (const [method, path] of [['put', '/v1/screenshots/a'], ['get', '/v1/screenshots/a'], ['put', '/v1/screenshots/b'], ['put', '/v1/screenshots/c']] as const) {
      statuses.push((await http.request({ method, url: path })).status);
    }
    statuses.push((await http.get('/other', { headers: { 'x-chaos': 'on' } })).status);
    expect(statuses).toEqual([500, 201, 500, 201, 502]);
    expect(proxy.events.map((e) => `${e.method} ${e.path} ${e.kind}`)).toEqual([
      'PUT /v1/screenshots/a respond',
      'GET /v1/screenshots/a pass',
      'PUT /v1/screenshots/b respond',
      'PUT /v1/screenshots/c pass',
      'GET /other respond',
    ]);
  });

  it('replays the same faults under the same seed, and others under another seed', async () => {
    const run = async (seed: number) => {
      await useProxy([{ probability: 0.5, action: { kind: 'respond', status: 503 } }], { seed });
      for (let i = 0; i < 30; i++) await http.get(`/n/${i}`);
      const kinds = proxy.events.map((e) => e.kind);
      await proxy.stop();
      return kinds;
    };
    const first = await run(42);
    expect(first).toContain('pass');
    expect(first).toContain('respond');
    expect(await run(42)).toEqual(first);
    expect(await run(7)).not.toEqual(first);
  });

  it('rejects a bad plan with a clear error', async () => {
    const bad = (rule: unknown, upstreamOrigin = upstreamUrl) =>
      startFaultProxy({ upstream: upstreamOrigin, rules: [rule as FaultRule] });
    await expect(bad({ probability: 2, action: { kind: 'pass' } })).rejects.toThrow('probability must be within 0..1, got 2');
    await expect(bad({ action: { kind: 'explode' } })).rejects.toThrow('unknown fault kind "explode"');
    await expect(bad({ action: { kind: 'respond', status: 42 } })).rejects.toThrow('respond status must be an HTTP status, got 42');
    await expect(bad({ action: { kind: 'stall', ms: -1, then: 'drop' } })).rejects.toThrow('stall ms must be >= 0, got -1');
    await expect(bad({ action: { kind: 'pass' } }, 'ftp://127.0.0.1:21')).rejects.toThrow('upstream must be an http(s) origin');
    await useProxy([]);
    expect(() => proxy.setRules([{ probability: -1, action: { kind: 'pass' } }])).toThrow('probability must be within 0..1');
  });
});

describe('Host header and shutdown', () => {
  it('forwards the Host the client used by default, or rewrites it to the upstream with host: upstream', async () => {
    await useProxy([]);
    await http.get('/a');
    expect(seen[0]!.host).toBe(new URL(proxy.url).host);
    await proxy.stop();
    await useProxy([], { host: 'upstream' });
    await http.get('/b');
    expect(seen[1]!.host).toBe(new URL(upstreamUrl).host);
  });

  it('stops with a stall pending and leaves no socket, server or timer behind', async () => {
    const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
    const before = tcpHandles();
    await useProxy([{ action: { kind: 'stall', ms: 600_000, then: 'forward' } }]);
    const held = outcome(http.get('/held'));
    await until('the proxy to hold the request', () => proxy.events.length === 1);
    await proxy.stop();
    expect(await held).toBe('ECONNRESET');
    expect(await outcome(http.get('/after'))).toBe('ECONNREFUSED');
    await until('every TCP handle of the proxy and client to close', () => tcpHandles() <= before);
    expect(seen).toEqual([]);
  });
});

const s3 = inject('s3');

describe.skipIf(!s3)('fault proxy in front of the real S3 (SigV4-checked presigned PUTs)', () => {
  const bucket = `stint-proxy-${Date.now().toString(36)}`;
  const body = Buffer.from('webp bytes');
  const s3Client = (endpoint: string) =>
    new S3Client({
      endpoint,
      region: s3!.region,
      credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey: s3!.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const presign = (endpoint: string, key: string) =>
    getSignedUrl(s3Client(endpoint), new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: body.length }), {
      expiresIn: 300,
    });
  const stored = (key: string) =>
    s3Client(s3!.endpoint)
      .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      .then(
        () => true,
        () => false,
      );
  const putVia = (url: string) => http.put(url, body);

  beforeAll(async () => {
    await s3Client(s3!.endpoint).send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('verifies a URL presigned for the proxy (set as the public S3 endpoint), Host forwarded as is', async () => {
    proxy = await startFaultProxy({ upstream: s3!.endpoint });
    http = axios.create({ httpAgent: agent, validateStatus: () => true });
    expect((await putVia(await presign(proxy.url, 'via-proxy.webp'))).status).toBe(200);
    expect(await stored('via-proxy.webp')).toBe(true);
  });

  it('verifies a URL presigned for S3 whose origin was swapped for the proxy only with host: upstream', async () => {
    http = axios.create({ httpAgent: agent, validateStatus: () => true });
    const swapped = async (key: string) => (await presign(s3!.endpoint, key)).replace(s3!.endpoint, proxy.url);
    proxy = await startFaultProxy({ upstream: s3!.endpoint });
    const preserved = await putVia(await swapped('swapped-1.webp'));
    expect(preserved.status).toBe(403);
    expect(String(preserved.data)).toContain('SignatureDoesNotMatch');
    await proxy.stop();
    proxy = await startFaultProxy({ upstream: s3!.endpoint, host: 'upstream' });
    expect((await putVia(await swapped('swapped-2.webp'))).status).toBe(200);
  });

  it('drops the answer to a PUT that S3 stored: the client sees a reset, the object is there', async () => {
    proxy = await startFaultProxy({ upstream: s3!.endpoint, rules: [{ method: 'PUT', action: { kind: 'drop-response' } }] });
    http = axios.create({ httpAgent: agent, validateStatus: () => true });
    expect(await outcome(putVia(await presign(proxy.url, 'dropped.webp')))).toBe('ECONNRESET');
    expect(await stored('dropped.webp')).toBe(true);
    only('drop-response', 1);
  });
});
