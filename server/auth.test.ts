import { SignJWT } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { api, enrollDevice } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();

function b64url(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

describe('access tokens', () => {
  it('a valid token reads /v1/me; tampered, expired, alg:none, wrong-audience and foreign-key tokens are 401 problems', async () => {
    const me = await fx.as('employee').get<{ imageOrigins: string[] }>('/v1/me');
    expect(me.status).toBe(200);
    // Where the timeline's images come from (the server's redirect and its blob store), for a window's CSP.
    expect(me.body.imageOrigins).toContain(new URL(fx.srv.url).origin);
    const good = fx.tokens.employee;
    const [h, p, s] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${b64url({ ...claims, role: 'admin' })}.${s}`;
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, role: 'admin' })}.`;
    const key = new TextEncoder().encode(fx.srv.ctx.settings.secret);
    const sign = (over: Record<string, unknown>, aud = 'stint-api', exp = Math.floor(Date.now() / 1000) + 600) =>
      new SignJWT({ ...claims, ...over }).setProtectedHeader({ alg: 'HS256' }).setAudience(aud).setExpirationTime(exp).sign(key);
    const expired = await sign({ iat: Math.floor(Date.now() / 1000) - 7200 }, 'stint-api', Math.floor(Date.now() / 1000) - 3600);
    const wrongAud = await sign({}, 'someone-else');
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(48)));
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(key);
    for (const [name, token] of Object.entries({ tampered, none, expired, wrongAud, foreign, hs512, garbage: 'abc', empty: '' })) {
      const r = await api(fx.srv.url, token).get<{ status: number; detail: string }>('/v1/me');
      expect(r.status, name).toBe(401);
      expect(r.headers.get('content-type'), name).toContain('application/problem+json');
    }
    const r = await api(fx.srv.url).get<{ detail: string }>('/v1/me', { authorization: 'Basic dXNlcjpwYXNz' });
    expect(r.status).toBe(401);
    expect((await api(fx.srv.url, expired).get<{ detail: string }>('/v1/me')).body.detail).toMatch(/expired/);
  });

  it('a wrong password and an unknown email get the same 401', async () => {
    const a = await api(fx.srv.url).post<{ detail: string }>('/v1/auth/login', { email: fx.srv.seed.admin.email, password: 'wrong' });
    const b = await api(fx.srv.url).post<{ detail: string }>('/v1/auth/login', { email: 'nobody@nowhere.test', password: 'wrong' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body.detail).toBe(b.body.detail);
  });
});

describe('refresh tokens', () => {
  it('rotate on use; reusing a rotated token revokes the whole family', async () => {
    const c = api(fx.srv.url);
    const first = await c.post<{ refreshToken: string }>('/v1/auth/login', { email: fx.srv.seed.employee.email, password: fx.srv.seed.employee.password });
    const second = await c.post<{ refreshToken: string; accessToken: string }>('/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const reuse = await c.post<{ detail: string }>('/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.detail).toMatch(/reused/);
    // the legitimate newest token of that family is now dead too
    expect((await c.post('/v1/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
  });

  it('the same refresh token sent twice at once: afterwards no token of that family works', async () => {
    const c = api(fx.srv.url);
    for (let round = 0; round < 5; round++) {
      const first = await c.post<{ refreshToken: string }>('/v1/auth/login', { email: fx.srv.seed.employee.email, password: fx.srv.seed.employee.password });
      const replies = await Promise.all([0, 1, 2].map(() => c.post<{ refreshToken?: string }>('/v1/auth/refresh', { refreshToken: first.body.refreshToken })));
      expect(replies.map((r) => r.status)).toContain(401);
      for (const r of replies.filter((x) => x.status === 200)) {
        expect((await c.post('/v1/auth/refresh', { refreshToken: r.body.refreshToken })).status).toBe(401);
      }
    }
  });

  it('logout revokes the family', async () => {
    const c = api(fx.srv.url);
    const t = await c.post<{ refreshToken: string }>('/v1/auth/login', { email: fx.srv.seed.manager.email, password: fx.srv.seed.manager.password });
    expect((await c.post('/v1/auth/logout', { refreshToken: t.body.refreshToken })).status).toBe(204);
    expect((await c.post('/v1/auth/refresh', { refreshToken: t.body.refreshToken })).status).toBe(401);
  });
});

describe('devices', () => {
  it('an admin mints an enrollment token; enrolling yields a device credential; revoking it stops the exchange', async () => {
    const minted = await fx.as('admin').post<{ enrollmentToken: string }>('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee2.id, expiresInHours: 1 });
    expect(minted.status).toBe(201);
    const dev = await enrollDevice(fx.srv.url, minted.body.enrollmentToken);
    const me = await api(fx.srv.url, dev.accessToken).get<{ user: { id: string } }>('/v1/me');
    expect(me.body.user.id).toBe(fx.srv.seed.employee2.id);
    expect((await fx.as('employee').del(`/v1/devices/${dev.deviceId}`)).status).toBe(404);
    expect((await fx.as('admin').del(`/v1/devices/${dev.deviceId}`)).status).toBe(204);
    expect((await api(fx.srv.url).post('/v1/auth/device', { deviceId: dev.deviceId, deviceToken: dev.deviceToken })).status).toBe(401);
  });

  it('only admins mint enrollment tokens; unknown tokens do not enroll; a device id cannot be taken over by another user', async () => {
    expect((await fx.as('manager').post('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee.id })).status).toBe(403);
    const bad = await api(fx.srv.url).post('/v1/devices/enroll', { enrollmentToken: 'x'.repeat(43), deviceId: uuidv7(), name: 'n', platform: 'linux' });
    expect(bad.status).toBe(401);
    const mine = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken(fx.srv.seed.employee.id));
    const other = await fx.srv.seed.enrollmentToken(fx.srv.seed.outsider.id);
    const takeover = await api(fx.srv.url).post('/v1/devices/enroll', { enrollmentToken: other, deviceId: mine.deviceId, name: 'n', platform: 'linux' });
    expect(takeover.status).toBe(409);
  });

  it('a device token cannot write for another device id', async () => {
    const dev = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const r = await api(fx.srv.url, dev.accessToken).post('/v1/sync/push', {
      deviceId: uuidv7(),
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: uuidv7(), deletedAt: new Date().toISOString() }],
    });
    expect(r.status).toBe(403);
  });
});
