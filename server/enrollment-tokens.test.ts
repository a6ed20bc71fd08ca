import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, enrollDevice, login } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();
let otherAdmin: ReturnType<typeof api>;

beforeAll(async () => {
  const other = await fx.srv.seedOrg();
  otherAdmin = api(fx.srv.url, (await login(fx.srv.url, other.admin.email, other.admin.password)).accessToken);
});

interface Minted {
  id: string;
  enrollmentToken: string;
  maxDevices: number | null;
}
interface Listed {
  tokens: Array<{ id: string; userId: string; revokedAt: string | null; maxDevices: number | null; enrolledDevices: number }>;
}

const mint = async (body: Record<string, unknown> = {}) => {
  const r = await fx.as('admin').post<Minted>('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee.id, expiresInHours: 1, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const enrollOnto = (enrollmentToken: string, deviceId: string) =>
  api(fx.srv.url).post<{ status: number; detail: string }>('/v1/devices/enroll', { enrollmentToken, deviceId, name: 'box', platform: 'linux' });

describe('enrollment onto a revoked device id', () => {
  it('is refused with 409 and the reason; the device stays revoked', async () => {
    const token = await mint();
    const dev = await enrollDevice(fx.srv.url, token.enrollmentToken);
    expect((await fx.as('admin').del(`/v1/devices/${dev.deviceId}`)).status).toBe(204);
    const again = await enrollOnto(token.enrollmentToken, dev.deviceId);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.detail).toMatch(/revoked/);
    const devices = await fx.as('admin').get<{ devices: Array<{ id: string; revokedAt: string | null }> }>('/v1/devices');
    expect(devices.body.devices.find((d) => d.id === dev.deviceId)?.revokedAt).not.toBeNull();
  });
});

describe('enrollment tokens an admin controls', () => {
  it('a revoked token enrolls nothing more, and says why', async () => {
    const token = await mint();
    await enrollDevice(fx.srv.url, token.enrollmentToken);
    expect((await fx.as('admin').del(`/v1/devices/enrollment-tokens/${token.id}`)).status).toBe(204);
    const r = await enrollOnto(token.enrollmentToken, uuidv7());
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/revoked/);
    const listed = await fx.as('admin').get<Listed>('/v1/devices/enrollment-tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.find((t) => t.id === token.id)).toMatchObject({ userId: fx.srv.seed.employee.id, enrolledDevices: 1 });
    expect(listed.body.tokens.find((t) => t.id === token.id)?.revokedAt).not.toBeNull();
  });

  it('a token limited to N devices enrolls N and refuses the N+1th; the same device may enroll again', async () => {
    const token = await mint({ maxDevices: 2 });
    expect(token.maxDevices).toBe(2);
    const first = await enrollDevice(fx.srv.url, token.enrollmentToken);
    await enrollDevice(fx.srv.url, token.enrollmentToken);
    const third = await enrollOnto(token.enrollmentToken, uuidv7());
    expect(third.status).toBe(409);
    expect(third.body.detail).toMatch(/limit of 2 devices/);
    expect((await enrollOnto(token.enrollmentToken, first.deviceId)).status).toBe(201);
    const single = await mint({ maxDevices: 1 });
    const both = await Promise.all([enrollOnto(single.enrollmentToken, uuidv7()), enrollOnto(single.enrollmentToken, uuidv7())]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('bad input on the new endpoints gets a 4xx problem with the reason', async () => {
    const cases: Array<[Promise<{ status: number; body: { detail?: string } }>, number, RegExp]> = [
      [fx.as('admin').post('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee.id, maxDevices: 0 }), 400, /maxDevices/],
      [fx.as('admin').post('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee.id, maxDevices: 1.5 }), 400, /maxDevices/],
      [fx.as('admin').post('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee.id, maxDevices: 'two' }), 400, /maxDevices/],
      [fx.as('admin').del('/v1/devices/enrollment-tokens/not-a-uuid'), 400, /UUID/],
      [fx.as('admin').del(`/v1/devices/enrollment-tokens/${uuidv7()}`), 404, /no such enrollment token/],
      [fx.as('manager').get('/v1/devices/enrollment-tokens'), 403, /admins/],
      [fx.as('employee').del(`/v1/devices/enrollment-tokens/${uuidv7()}`), 403, /admins/],
      [api(fx.srv.url).get('/v1/devices/enrollment-tokens'), 401, /Bearer/],
    ];
    for (const [call, status, detail] of cases) {
      const r = await call;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.detail).toMatch(detail);
    }
  });

  it("another org's admin neither lists nor revokes this org's tokens", async () => {
    const token = await mint();
    const listed = await otherAdmin.get<Listed>('/v1/devices/enrollment-tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.map((t) => t.id)).not.toContain(token.id);
    expect((await otherAdmin.del(`/v1/devices/enrollment-tokens/${token.id}`)).status).toBe(404);
    expect((await enrollOnto(token.enrollmentToken, uuidv7())).status).toBe(201);
  });
});
