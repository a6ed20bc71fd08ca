import { request } from 'node:http';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { api, declareShot, makeImage } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();

function expectProblem(r: { status: number; headers: Headers; body: unknown }, status: number, label = '') {
  expect(r.status, `${label} ${JSON.stringify(r.body)}`).toBe(status);
  expect(r.headers.get('content-type'), label).toContain('application/problem+json');
  const body = r.body as { status: number; title: string; detail?: string };
  expect(body.status, label).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(body.detail, label).toBeTruthy();
}

/** A raw request, so paths reach the server exactly as written (fetch would normalise ../). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const u = new URL(base);
  return new Promise<{ status: number; headers: Headers; body: unknown }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep text */
        }
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: parsed });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const deviceId = uuidv7();
const validPush = () => ({
  deviceId,
  sentAt: new Date().toISOString(),
  ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: uuidv7(), deletedAt: new Date().toISOString() }],
});

describe('bad input gets a 4xx problem with a reason, never a 500', () => {
  it('an oversized body is 413', async () => {
    const big = { ...validPush(), padding: 'x'.repeat(2 * 1024 * 1024) };
    expectProblem(await fx.as('employee').post('/v1/sync/push', big), 413);
  });

  it('a body that is not JSON is 415; malformed JSON is 400', async () => {
    expectProblem(await fx.as('employee').post('/v1/sync/push', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await fx.as('employee').post('/v1/screenshots', 'hello', { 'content-type': 'text/plain' }), 415);
    expectProblem(await fx.as('employee').post('/v1/sync/push', '{"deviceId": '), 400);
    expectProblem(await fx.as('employee').post('/v1/sync/push', '[1,2]'), 400);
    expectProblem(await fx.as('employee').post('/v1/sync/push', 'null'), 400);
  });

  it('extra, missing or mistyped fields are 400 naming each field', async () => {
    const extra = await fx.as('employee').post<{ errors: Array<{ path: string }> }>('/v1/sync/push', { ...validPush(), admin: true });
    expectProblem(extra, 400);
    expect(JSON.stringify(extra.body.errors)).toContain('admin');
    const missing = await fx.as('employee').post<{ errors: Array<{ path: string }> }>('/v1/screenshots', { id: uuidv7() });
    expectProblem(missing, 400);
    expect(missing.body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['body.deviceId', 'body.sha256', 'body.md5']));
    const img = await makeImage(10, 10);
    expectProblem(await fx.as('employee').post('/v1/screenshots', { ...declareShot(img, deviceId), width: -5 }), 400, 'negative width');
    expectProblem(await fx.as('employee').post('/v1/screenshots', { ...declareShot(img, deviceId), bytes: 1e12 }), 400, 'huge bytes');
    expectProblem(await fx.as('employee').post('/v1/screenshots', { ...declareShot(img, deviceId), contentType: 'image/svg+xml' }), 400, 'svg');
    expectProblem(await fx.as('employee').post('/v1/screenshots', { ...declareShot(img, deviceId), id: '0190aaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }), 400, 'uuid v4 as id');
    expectProblem(await fx.as('employee').post('/v1/screenshots/' + uuidv7() + '/complete', { any: 1 }), 400, 'complete with body');
  });

  it('non-UUID ids in paths are 400; unknown routes are 404', async () => {
    expectProblem(await fx.as('employee').post('/v1/screenshots/abc/complete'), 400);
    expectProblem(await fx.as('employee').get('/v1/screenshots/1%20OR%201=1'), 400);
    expectProblem(await fx.as('admin').del('/v1/devices/not-a-uuid'), 400);
    expectProblem(await fx.as('admin').get('/v1/users/xyz/export'), 400);
    expectProblem(await fx.as('admin').get('/v1/nope'), 404);
  });

  it('path traversal attempts never reach the file system', async () => {
    for (const path of [
      '/blobs/../../../etc/passwd',
      '/blobs/%2e%2e/%2e%2e/etc/passwd',
      '/blobs/org/..%2F..%2F..%2Fetc%2Fpasswd?expires=9999999999&signature=x',
      '/v1/screenshots/..%2F..%2Fetc%2Fpasswd/complete',
      '/v1/users/..%2F..%2F/export',
    ]) {
      const r = await raw(fx.srv.url, path.startsWith('/blobs') ? 'GET' : 'POST', path, { authorization: `Bearer ${fx.tokens.admin}` });
      expect([400, 403, 404], `${path}: ${r.status}`).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain('root:');
    }
    const put = await raw(fx.srv.url, 'PUT', '/blobs/..%2F..%2Ftmp%2Fpwned?expires=9999999999&signature=x', { 'content-type': 'image/webp', 'content-length': '3' }, 'abc');
    expect([403, 404]).toContain(put.status);
  });

  it('absurd timestamps are refused: 422 for a declaration, a rejected op for a push', async () => {
    const img = await makeImage(10, 10);
    for (const takenAt of ['1970-01-01T00:00:00Z', '2999-01-01T00:00:00Z']) {
      expectProblem(await fx.as('employee').post('/v1/screenshots', declareShot(img, deviceId, { takenAt })), 422, takenAt);
    }
    expectProblem(await fx.as('employee').post('/v1/screenshots', declareShot(img, deviceId, { takenAt: 'yesterday' })), 400);
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string; status: number; reason: string }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [
        { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: '2300-01-01T00:00:00Z', activeSeconds: 1, trackedSeconds: 1, apps: [] } },
        { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: '2024-01-01T00:00:30Z', activeSeconds: 1, trackedSeconds: 1, apps: [] } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.status)).toEqual([422, 422]);
    expect(r.body.results[1]?.reason).toMatch(/start of a minute/);
  });

  it('bad query parameters on reads are 400', async () => {
    const id = fx.srv.seed.employee.id;
    const c = fx.as('admin');
    expectProblem(await c.get(`/v1/timeline?userId=${id}&date=2024-13-45&tz=UTC`), 400, 'date');
    expectProblem(await c.get(`/v1/timeline?userId=${id}&date=2024-01-01&tz=Mars/Olympus`), 400, 'tz');
    expectProblem(await c.get(`/v1/timeline?userId=${id}&userId=${id}&date=2024-01-01&tz=UTC`), 400, 'repeated');
    expectProblem(await c.get(`/v1/timeline?userId=${id}&date=2024-01-01&tz=UTC&extra=1`), 400, 'extra');
    expectProblem(await c.get(`/v1/reports/summary?from=2024-02-01&to=2024-01-01&groupBy=user`), 400, 'from after to');
    expectProblem(await c.get(`/v1/reports/summary?from=2000-01-01&to=2024-01-01&groupBy=user`), 400, 'span');
    expectProblem(await c.get(`/v1/reports/summary?from=2024-01-01&to=2024-01-02&groupBy=planet`), 400, 'groupBy');
    expectProblem(await c.get(`/v1/audit?limit=100000`), 400, 'limit');
  });

  it('property sweep: mutated ingest bodies always get 2xx or a 4xx problem, never a 5xx', async () => {
    const img = await makeImage(10, 10);
    const base = declareShot(img, deviceId) as unknown as Record<string, unknown>;
    const pushBase = validPush() as unknown as Record<string, unknown>;
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('../../etc/passwd', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', uuidv7(), 'image/webp', '\u0000', 'ÿ'.repeat(300)),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.anything(), { maxKeys: 3 }),
    );
    const mutate = (o: Record<string, unknown>) =>
      fc.record({ set: fc.dictionary(fc.constantFrom(...Object.keys(o), 'extra'), value, { maxKeys: 3 }), drop: fc.subarray(Object.keys(o), { maxLength: 2 }) }).map(({ set, drop }) => {
        const copy: Record<string, unknown> = { ...o, ...set };
        for (const k of drop) delete copy[k];
        return copy;
      });
    const opMutation = fc.array(fc.oneof(value, mutate({ id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: '2024-01-01T00:00:00Z', activeSeconds: 1, trackedSeconds: 1, apps: [] } })), { maxLength: 4 });
    const cases = fc.oneof(
      mutate(base).map((body) => ['/v1/screenshots', body] as const),
      mutate(pushBase).map((body) => ['/v1/sync/push', body] as const),
      opMutation.map((ops) => ['/v1/sync/push', { ...pushBase, ops }] as const),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([path, body]) => {
        const r = await fx.as('employee').post(path, body);
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        if (r.status >= 400) {
          expect(r.headers.get('content-type')).toContain('application/problem+json');
          expect((r.body as { detail?: string }).detail).toBeTruthy();
        }
      }),
      { numRuns: 250 },
    );
  });

  it('every endpoint answers junk bodies, junk queries and no credentials with a 4xx problem', async () => {
    const id = uuidv7();
    const routes: Array<[string, string]> = [
      ['POST', '/v1/auth/login'], ['POST', '/v1/auth/refresh'], ['POST', '/v1/auth/logout'], ['POST', '/v1/auth/device'],
      ['POST', '/v1/devices/enrollment-tokens'], ['POST', '/v1/devices/enroll'], ['GET', '/v1/devices'], ['DELETE', `/v1/devices/${id}`],
      ['GET', '/v1/me'], ['GET', '/v1/projects'], ['POST', '/v1/projects'], ['POST', `/v1/projects/${id}/tasks`], ['GET', '/v1/users'],
      ['POST', '/v1/users'], ['POST', '/v1/teams'], ['PUT', '/v1/org/policy'], ['PUT', '/v1/org/retention'], ['POST', '/v1/sync/push'],
      ['POST', '/v1/screenshots'], ['POST', `/v1/screenshots/${id}/complete`], ['GET', `/v1/screenshots/${id}`], ['DELETE', `/v1/screenshots/${id}`],
      ['GET', '/v1/timeline'], ['GET', '/v1/team/now'], ['GET', '/v1/reports/summary'], ['GET', `/v1/users/${id}/export`],
      ['DELETE', `/v1/users/${id}/data`], ['GET', '/v1/audit'], ['GET', `/v1/screenshots/${id}/full`],
    ];
    const junk = [{ junk: true }, [], 'x', 42, { email: 1, password: null, deviceId: 'nope', ops: {}, userId: '../..' }];
    for (const [method, path] of routes) {
      const anonymous = await api(fx.srv.url).call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(anonymous.status, `${method} ${path} anonymous`).toBeGreaterThanOrEqual(400);
      expect(anonymous.status, `${method} ${path} anonymous`).toBeLessThan(500);
      for (const who of ['employee', 'admin'] as const) {
        if (method === 'GET' || method === 'DELETE') {
          const r = await fx.as(who).call(method, `${path}?junk=%00%ff&userId=../../etc`);
          expect(r.status, `${who} ${method} ${path}?junk`).toBeLessThan(500);
          if (r.status >= 400) expect(r.headers.get('content-type')).toContain('application/problem+json');
          continue;
        }
        for (const body of junk) {
          const r = await fx.as(who).call(method, path, JSON.stringify(body));
          expect(r.status, `${who} ${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
          expect(r.status, `${who} ${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
          expect(r.headers.get('content-type')).toContain('application/problem+json');
        }
      }
    }
  });
});
