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
