import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { timelineResponseSchema } from '../../shared/http/timeline';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice } from '../test-support/sync-device';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

const TWO_HOURS = 2 * 3_600_000;

describe('clock offset', () => {
  it('stamps server-corrected times when the server clock is two hours ahead of the device', async () => {
    // The device's clock runs two hours behind the server's (the server is right).
    const device = await startSyncDevice(server.url, await server.enrollmentToken(), { deviceNow: () => Date.now() - TWO_HOURS });
    try {
      device.stack.engine.start();
      await expect.poll(() => device.stack.clock.snapshot.measuredAt, { timeout: 10_000 }).not.toBeNull();
      expect(Math.abs(device.stack.clock.offsetMs - TWO_HOURS)).toBeLessThan(2_000);

      const before = Date.now();
      const ids = [await device.shot(), await device.shot()];
      const after = Date.now();
      await device.drained();

      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      for (const id of ids) {
        const takenAt = truth.shots.get(id)!.takenAt.getTime();
        expect(takenAt).toBeGreaterThanOrEqual(before - 2_000);
        expect(takenAt).toBeLessThanOrEqual(after + 2_000);
      }

      // The manager's timeline shows them (once verified) at the server's time, not two hours earlier.
      await server.verifyUploads();
      const login = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: server.seed.manager.email, password: server.seed.manager.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const date = new Date(before).toISOString().slice(0, 10);
      const res = await fetch(`${server.url}/v1/timeline?userId=${server.seed.employee.id}&date=${date}&tz=UTC`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const timeline = timelineResponseSchema.parse(await res.json());
      const slot = timeline.slots.find((s) => s.screenshots.some((shot) => shot.id === ids[0]));
      expect(slot).toBeDefined();
      expect(Date.parse(slot!.start)).toBeLessThanOrEqual(before + 2_000);
      expect(Date.parse(slot!.end)).toBeGreaterThan(before - 2_000);
    } finally {
      await device.close();
    }
  });
});
