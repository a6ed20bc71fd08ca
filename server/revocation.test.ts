import { describe, expect, it } from 'vitest';
import { api, enrollDevice, login } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();

describe('an access token dies with its device or session, at once', () => {
  it("a revoked device's access token is refused for reads right after the revoke", async () => {
    const dev = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken(fx.srv.seed.employee.id));
    const asDevice = api(fx.srv.url, dev.accessToken);
    expect((await asDevice.get('/v1/me')).status).toBe(200);
    expect((await asDevice.get('/v1/projects')).status).toBe(200);
    expect((await fx.as('admin').del(`/v1/devices/${dev.deviceId}`)).status).toBe(204);
    for (const path of ['/v1/me', '/v1/projects', '/v1/devices']) {
      const r = await asDevice.get<{ detail: string }>(path);
      expect(r.status, path).toBe(401);
      expect(r.body.detail).toMatch(/device was revoked/);
    }
  });

  it("a signed-out session's access token is refused for reads right after sign-out; other sessions live on", async () => {
    const s = fx.srv.seed.employee;
    const session = await login(fx.srv.url, s.email, s.password);
    const other = await login(fx.srv.url, s.email, s.password);
    const asSession = api(fx.srv.url, session.accessToken);
    expect((await asSession.get('/v1/me')).status).toBe(200);
    expect((await api(fx.srv.url).post('/v1/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);
    const r = await asSession.get<{ detail: string }>('/v1/me');
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/signed out/);
    expect((await api(fx.srv.url, other.accessToken).get('/v1/me')).status).toBe(200);
  });

  it('a session whose refresh family was revoked for reuse loses its access tokens too', async () => {
    const s = fx.srv.seed.employee;
    const first = await login(fx.srv.url, s.email, s.password);
    const rotated = await api(fx.srv.url).post<{ accessToken: string }>('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    expect((await api(fx.srv.url, rotated.body.accessToken).get('/v1/me')).status).toBe(200);
    expect((await api(fx.srv.url).post('/v1/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await api(fx.srv.url, rotated.body.accessToken).get('/v1/me')).status).toBe(401);
    expect((await api(fx.srv.url, first.accessToken).get('/v1/me')).status).toBe(401);
  });
});
