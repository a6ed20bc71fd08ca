import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceReport, FleetResponse } from '../src/shared/http/fleet';
import { fleetResponseSchema } from '../src/shared/http/fleet';
import { api, enrollDevice, login } from './test-support/api';
import { useTestServer } from './test-support/fixture';
import type { TestSeed } from './test-support/start-test-server';

// GET /v1/fleet on the real server and PostgreSQL: what devices report in their pushes, org by org.
const fx = useTestServer();
let other: TestSeed;
let otherAdmin: ReturnType<typeof api>;

const report = (over: Partial<DeviceReport['queue']> = {}, policyError: string | null = null): DeviceReport => ({
  appVersion: '1.4.2',
  queue: { screenshots: 3, ops: 12, deadLetters: 1, oldestUnsyncedAt: '2026-01-05T09:00:00.000Z', ...over },
  policyError,
});
const push = (token: string, deviceId: string, sentAt: string, device?: DeviceReport) =>
  api(fx.srv.url, token).post('/v1/sync/push', {
    deviceId,
    sentAt,
    ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: uuidv7(), deletedAt: sentAt }],
    ...(device ? { device } : {}),
  });

beforeAll(async () => {
  other = await fx.srv.seedOrg();
  otherAdmin = api(fx.srv.url, (await login(fx.srv.url, other.admin.email, other.admin.password)).accessToken);
});

describe('GET /v1/fleet', () => {
  it("lists the org's devices with what each last reported; another org's devices never appear", async () => {
    const mine = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const silent = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken(fx.srv.seed.employee2.id));
    const theirs = await enrollDevice(fx.srv.url, await other.enrollmentToken());
    const now = new Date().toISOString();
    expect((await push(mine.accessToken, mine.deviceId, now, report({}, 'policy file /etc/stint/policy.json not applied: capture.screenshotsPerSlot: Too big'))).status).toBe(200);
    expect((await push(theirs.accessToken, theirs.deviceId, now, report({ screenshots: 99 }))).status).toBe(200);
    // An older device sends no report: listed, with no figures.
    expect((await push(silent.accessToken, silent.deviceId, now)).status).toBe(200);

    const r = await fx.as('admin').get<FleetResponse>('/v1/fleet');
    expect(r.status).toBe(200);
    const fleet = fleetResponseSchema.parse(r.body);
    expect(fleet.devices.map((d) => d.id).sort()).toEqual([mine.deviceId, silent.deviceId].sort());
    expect(fleet.devices.find((d) => d.id === mine.deviceId)).toMatchObject({
      name: 'test box',
      platform: 'linux',
      user: { id: fx.srv.seed.employee.id, email: fx.srv.seed.employee.email, name: fx.srv.seed.employee.name },
      appVersion: '1.4.2',
      reportedAt: now,
      lastSeenAt: expect.any(String),
      queue: report().queue,
      policyError: expect.stringContaining('capture.screenshotsPerSlot'),
    });
    expect(fleet.devices.find((d) => d.id === silent.deviceId)).toMatchObject({ appVersion: null, reportedAt: null, queue: null, policyError: null });
    // The one holding unsynced work comes first.
    expect(fleet.devices[0]!.id).toBe(mine.deviceId);

    const theirFleet = fleetResponseSchema.parse((await otherAdmin.get('/v1/fleet')).body);
    expect(theirFleet.devices.map((d) => d.id)).toEqual([theirs.deviceId]);
    expect(theirFleet.devices[0]!.queue?.screenshots).toBe(99);
  });

  it('a replayed older push never rolls the report back', async () => {
    const d = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const later = new Date().toISOString();
    const earlier = new Date(Date.now() - 60_000).toISOString();
    await push(d.accessToken, d.deviceId, later, report({ screenshots: 0, ops: 0, deadLetters: 0, oldestUnsyncedAt: null }));
    await push(d.accessToken, d.deviceId, earlier, report({ screenshots: 7 }));
    const fleet = fleetResponseSchema.parse((await fx.as('admin').get('/v1/fleet')).body);
    expect(fleet.devices.find((x) => x.id === d.deviceId)?.queue).toEqual({ screenshots: 0, ops: 0, deadLetters: 0, oldestUnsyncedAt: null });
  });

  it('is for admins: managers and employees get 403, no token 401', async () => {
    for (const who of ['manager', 'employee'] as const) {
      const r = await fx.as(who).get('/v1/fleet');
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toMatchObject({ detail: 'the fleet view is for admins' });
    }
    expect((await api(fx.srv.url).get('/v1/fleet')).status).toBe(401);
  });

  it('a bad report is refused with the field that is wrong', async () => {
    const d = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const r = await push(d.accessToken, d.deviceId, new Date().toISOString(), { ...report(), queue: { ...report().queue, ops: -1 } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('device.queue.ops');
  });
});
