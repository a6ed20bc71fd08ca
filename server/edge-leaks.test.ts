import { describe, expect, it } from 'vitest';
import { createMetricsApp, start } from './app';
import { api, uploadScreenshot, enrollDevice } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer({ settings: { rateLimitPerMinute: 2000 } });

/** Phrases of PostgreSQL's own error texts that a reply must never quote. */
const PG_TEXT = /invalid byte sequence|time zone .* not recognized|out of range|invalid input syntax|unsupported Unicode escape|cannot be converted to text|violates|relation|column|syntax error/i;

describe('the edge leaks nothing small', () => {
  it('/metrics is not on the API port (404); its own listener serves it', async () => {
    const onApi = await api(fx.srv.url).get('/metrics');
    expect(onApi.status).toBe(404);
    expect(onApi.headers.get('content-type')).toContain('application/problem+json');
    const metrics = await start(createMetricsApp(fx.srv.ctx.jobs));
    try {
      const r = await api(metrics.url).get<string>('/metrics');
      expect(r.status).toBe(200);
      expect(r.body).toContain('stint_http_request_duration_seconds');
      expect((await api(metrics.url).get('/v1/me')).status).toBe(404);
    } finally {
      await metrics.stop();
    }
  });

  it('personal-data replies carry Cache-Control: no-store', async () => {
    const s = fx.srv.seed;
    const device = await enrollDevice(fx.srv.url, await s.enrollmentToken());
    const shot = await uploadScreenshot(fx.srv.url, device.accessToken, device.deviceId);
    const m = fx.as('manager');
    const today = new Date().toISOString().slice(0, 10);
    const view = await m.get<{ fullUrl: string }>(`/v1/screenshots/${shot}`);
    const replies = {
      timeline: await m.get(`/v1/timeline?userId=${s.employee.id}&date=${today}&tz=UTC`),
      report: await m.get(`/v1/reports/summary?from=${today}&to=${today}&groupBy=user`),
      csv: await m.get(`/v1/reports/summary?from=${today}&to=${today}&groupBy=user&format=csv`),
      teamNow: await m.get('/v1/team/now'),
      exportGdpr: await fx.as('admin').get(`/v1/users/${s.employee.id}/export`),
      screenshot: view,
      full: await api(view.body.fullUrl.replace(/^https?:\/\/[^/]+/, fx.srv.url)).get(''),
    };
    for (const [name, r] of Object.entries(replies)) {
      expect([name, r.status < 400]).toEqual([name, true]);
      expect([name, r.headers.get('cache-control')]).toEqual([name, 'no-store']);
    }
  });

  it('bad values (NUL bytes, unknown zones, out-of-range dates) get a 400 in our words, never PostgreSQL text', async () => {
    const s = fx.srv.seed;
    const m = fx.as('manager');
    const a = fx.as('admin');
    const tl = (q: string) => m.get(`/v1/timeline?userId=${s.employee.id}&${q}`);
    const rep = (q: string) => m.get(`/v1/reports/summary?groupBy=user&${q}`);
    const probes = {
      'timeline zone': tl('date=2026-01-05&tz=Mars/Olympus'),
      'timeline zone NUL': tl('date=2026-01-05&tz=Europe/Ber%00lin'),
      'timeline year 0': tl('date=0000-01-01&tz=UTC'),
      'timeline Feb 30': tl('date=2026-02-30&tz=UTC'),
      'report zone': rep('from=2026-01-01&to=2026-01-02&tz=Nowhere/Land'),
      'report year 0': rep('from=0000-01-01&to=2026-01-02'),
      'report far past': rep('from=0001-01-01&to=9999-12-31'),
      'create user NUL': a.post('/v1/users', { email: 'nul@x.test', name: 'a\u0000b', role: 'employee', password: 'long-enough-password-1' }),
      'create project NUL': a.post('/v1/projects', { name: 'p\u0000' }),
      'create team NUL': a.post('/v1/teams', { name: 't\u0000', managerIds: [], memberIds: [] }),
      'login NUL': api(fx.srv.url).post('/v1/auth/login', { email: 'a\u0000@x.test', password: 'x\u0000' }),
      'audit NUL': a.get('/v1/audit?action=a%00b'),
      'create user zone': a.post('/v1/users', { email: 'zone@x.test', name: 'Zed', role: 'employee', timeZone: 'Mars/Olympus', password: 'long-enough-password-1' }),
      'enroll name NUL': api(fx.srv.url).post('/v1/devices/enroll', { enrollmentToken: 'e'.repeat(43), deviceId: '01a228ad-b7e2-7608-914e-7dcbe9f7da48', name: 'box\u0000', platform: 'linux' }),
    };
    const got: Record<string, { status: number; detail: string }> = {};
    for (const [name, p] of Object.entries(probes)) {
      const r = await p;
      got[name] = { status: r.status, detail: String((r.body as { detail?: string } | null)?.detail ?? '') };
    }
    for (const [name, r] of Object.entries(got)) {
      expect([name, r.status >= 400 && r.status < 500]).toEqual([name, true]);
      expect([name, PG_TEXT.test(r.detail) ? r.detail : 'ok']).toEqual([name, 'ok']);
      // Caught by the zod contracts at the edge, not by the database's last-resort class-22 mapping.
      expect([name, r.detail.startsWith('invalid value:') ? r.detail : 'ok']).toEqual([name, 'ok']);
    }
  });
});
