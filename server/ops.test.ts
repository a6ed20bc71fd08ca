import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetricsApp, start } from './app';
import { api } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const logLines: string[] = [];
const fx = useTestServer({ settings: { loginRateLimitPerMinute: 50, rateLimitPerMinute: 400 }, logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }) });

describe('operations endpoints', () => {
  it('/healthz answers; /readyz checks the database and the blob store', async () => {
    expect((await api(fx.srv.url).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(fx.srv.url).get('/readyz')).body).toEqual({ status: 'ready', database: true, blobStore: true });
  });

  it('/metrics exposes request durations, ingest counts and queue depth', async () => {
    await fx.as('employee').get('/v1/me');
    const metrics = await start(createMetricsApp(fx.srv.ctx.jobs));
    const text = (await api(metrics.url).get<string>('/metrics')).body;
    await metrics.stop();
    expect(text).toContain('stint_http_request_duration_seconds_bucket');
    expect(text).toMatch(/stint_job_queue_depth\{queue="all"\} \d+/);
    expect(text).toContain('# TYPE stint_ingest_total counter');
  });

  it('/openapi.json documents every route from the zod contracts', async () => {
    const doc = (await api(fx.srv.url).get<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }>('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v1/sync/push', '/v1/screenshots', '/v1/screenshots/{id}/complete', '/v1/timeline', '/v1/team/now', '/v1/reports/summary', '/v1/devices/enroll', '/updates/{channel}/{file}']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    expect(JSON.stringify(doc.paths['/v1/sync/push']?.post?.requestBody)).toContain('activity.minute');
  });

  it('every reply carries a request id; a sane client-given one is echoed', async () => {
    const r = await api(fx.srv.url).get('/healthz', { 'x-request-id': 'abc-123' });
    expect(r.headers.get('x-request-id')).toBe('abc-123');
    const bad = await api(fx.srv.url).get('/healthz', { 'x-request-id': 'a b;c/../' + 'x'.repeat(80) });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('request logs carry no bearer token, no header and no URL signature', async () => {
    const view = await fx.as('manager').get<{ entries: unknown[] }>('/v1/audit');
    expect(view.status).toBe(403);
    await api(fx.srv.url).get('/blobs/org/x?expires=1&signature=SIGNATURE-VALUE');
    const logged = logLines.join('');
    expect(logged).toContain('"url":"/v1/audit"');
    expect(logged).toContain('signature=[redacted]');
    expect(logged).not.toContain(fx.tokens.manager);
    expect(logged).not.toContain('SIGNATURE-VALUE');
    expect(logged).not.toMatch(/authorization/i);
  });

  it('security headers are set (helmet)', async () => {
    const r = await api(fx.srv.url).get('/healthz');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('past the login rate limit the reply is 429 with Retry-After, whatever Authorization header each guess carries', async () => {
    const c = api(fx.srv.url);
    const guess = (i: number) => c.post('/v1/auth/login', { email: 'x@y.test', password: 'nope' }, { authorization: `Bearer fresh-budget-${i}` });
    let last = await guess(0);
    for (let i = 1; i < 60 && last.status !== 429; i++) last = await guess(i);
    expect(last.status).toBe(429);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('device-token exchange, refresh and enrollment are not held to the password limit (offices behind one NAT)', async () => {
    const c = api(fx.srv.url);
    const device = { deviceId: '01a228ad-b7e2-7608-914e-7dcbe9f7da48', deviceToken: 'x'.repeat(43) };
    const replies = [];
    // ops.test's server allows 50 sign-ins a minute per address: twice that many exchanges still get their real answer.
    for (let i = 0; i < 100; i++) replies.push((await c.post('/v1/auth/device', device)).status);
    for (let i = 0; i < 5; i++) replies.push((await c.post('/v1/auth/refresh', { refreshToken: 'y'.repeat(43) })).status);
    expect(new Set(replies)).toEqual(new Set([401]));
  });
});
