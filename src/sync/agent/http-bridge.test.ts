import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { trackerMethods, type TrackerEvent } from '../../shared/tracker-api';
import { createTracker, type Tracker } from '../tracker';
import { startBridge, type Bridge } from './http-bridge';
import { createBridgeClient } from './bridge-client';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { LOCAL_PROJECT } from './agent-options';

const TOKEN = 'test-token-0123456789abcdef';
const UI = 'http://localhost:5173';
let dir: ReturnType<typeof tempDir>;
let tracker: Tracker;
let bridge: Bridge;

beforeAll(async () => {
  dir = tempDir();
  tracker = await createTracker(
    { capturer: { module: syntheticCapturerModule }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
    { dataDir: join(dir.path, 'data'), projects: [LOCAL_PROJECT], policy: { screenshotsPerSlot: 0 } },
  );
  bridge = await startBridge({ handlers: tracker.handlers, subscribe: tracker.on, token: TOKEN, allowedOrigins: [UI] });
});
afterAll(async () => {
  await bridge.close();
  await tracker.shutdown();
  dir.remove();
});

/** Raw HTTP so the test controls Host and Origin exactly. */
function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, path, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('agent HTTP bridge', () => {
  it('a wrong or missing token gets 401', async () => {
    expect((await post('/api/status.get', '{}', { authorization: 'Bearer nope' })).status).toBe(401);
    const missing = await post('/api/status.get', '{}', { authorization: '' });
    expect(missing).toMatchObject({ status: 401, json: { title: 'Unauthorized' } });
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });

  it('a foreign Host (DNS rebinding) or a foreign Origin gets 403; the UI origin passes with CORS', async () => {
    expect((await post('/api/status.get', '{}', { host: `evil.example:${bridge.port}` })).json).toMatchObject({ status: 403, detail: expect.stringMatching(/host/) });
    expect((await post('/api/status.get', '{}', { origin: 'https://evil.example' })).json).toMatchObject({ status: 403, detail: expect.stringMatching(/origin/) });
    const ok = await post('/api/status.get', '{}', { origin: UI });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
  });

  it('malformed arguments get 400 with the reason; bad JSON gets 400; an unknown method gets 404', async () => {
    const bad = await post('/api/screenshots.recent', JSON.stringify({ limit: 99 }));
    expect(bad).toMatchObject({ status: 400, json: { title: 'invalid_argument', detail: expect.stringMatching(/limit/), errors: [{ path: 'limit' }] } });
    expect(await post('/api/timer.start', '{"projectId":')).toMatchObject({ status: 400, json: { detail: expect.stringMatching(/not JSON/) } });
    expect(await post('/api/timer.explode', '{}')).toMatchObject({ status: 404, json: { detail: expect.stringMatching(/no TrackerApi method/) } });
  });

  it('a body over 64 KB gets 413; a request target that is no URL gets 400 and the bridge keeps serving', async () => {
    expect(await post('/api/status.get', JSON.stringify({ pad: 'x'.repeat(70_000) }))).toMatchObject({ status: 413, json: { detail: expect.stringMatching(/body over/) } });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(bridge.port, '127.0.0.1', () => socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n\r\n`));
      socket.on('data', (d) => {
        resolve(String(d));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 .*not a valid URL/s);
    expect((await post('/api/status.get', '{}')).status).toBe(200);
  });

  it('routes every TrackerApi method, generated from the one table', async () => {
    for (const m of trackerMethods) expect((await post(`/api/${m}`, '{"__unknown":1}')).status, m).toBe(400);
  });

  it('the generated client calls through, errors arrive as TrackerError, and events stream as SSE', async () => {
    const api = createBridgeClient(bridge.url, TOKEN);
    const events: TrackerEvent[] = [];
    const ctrl = new AbortController();
    const res = await fetch(`${bridge.url}/api/events?token=${TOKEN}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const started = await api['timer.start']({ projectId: LOCAL_PROJECT.id });
    expect(started.running?.projectId).toBe(LOCAL_PROJECT.id);
    await expect(api['timer.start']({ projectId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ name: 'TrackerError', code: 'not_found' });
    let text = '';
    for (let i = 0; i < 20 && !text.includes('event: status'); i++) text += new TextDecoder().decode((await reader.read()).value);
    for (const m of text.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!));
    expect(events[0]).toMatchObject({ type: 'status', status: { running: { projectId: LOCAL_PROJECT.id } } });
    ctrl.abort();
    await api['timer.stop']({});
  });
});

describe('agent HTTP bridge serving the window', () => {
  let ui: Bridge;
  let root: string;
  beforeAll(async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    root = join(dir.path, 'ui', 'build');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head></html>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir.path, 'ui', 'secret.txt'), 'outside the build');
    ui = await startBridge({ handlers: tracker.handlers, subscribe: tracker.on, token: TOKEN, allowedOrigins: [], ui: { root, imgOrigins: () => ['https://blobs.example'] } });
  });
  afterAll(() => ui.close());

  /** Raw GET: the path goes on the wire exactly as written (no client-side normalising). */
  function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: ui.port, path, method: 'GET', headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the page and its assets with a strict CSP and no token in the URL', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("img-src 'self' data: blob: https://blobs.example");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const nonce = /<meta name="csp-nonce" content="([^"]+)"/.exec(page.text)?.[1];
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect((await get('/')).text).not.toContain(nonce!); // a fresh nonce per page
    const js = await get('/assets/app.js');
    expect(js).toMatchObject({ status: 200, text: 'export {};' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%252e%252e/secret.txt', '/..%5csecret.txt'])(
    'serves no file outside the build: %s',
    async (path) => {
      const res = await get(path);
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toContain('outside the build');
      expect(res.headers['content-type']).toBe('application/problem+json');
    },
  );

  it('a bad percent-encoding gets 400, a missing file 404', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
    expect(await get('/nope.js')).toMatchObject({ status: 404, text: expect.stringMatching(/no such file/) });
  });

  it('keeps the Host, Origin and token checks: its own origin may call, a foreign one may not', async () => {
    expect((await get('/', { host: `evil.example:${ui.port}` })).status).toBe(403);
    expect((await get('/', { origin: 'https://evil.example' })).status).toBe(403);
    const api = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: ui.port, path: '/api/status.get', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await api({ origin: ui.url, authorization: 'Bearer wrong-token' })).toBe(401);
    expect(await api({ origin: 'http://127.0.0.1:1', authorization: `Bearer ${TOKEN}` })).toBe(403);
    expect(await api({ origin: ui.url, authorization: `Bearer ${TOKEN}` })).toBe(200);
  });
});
