import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../test/infra/fault-proxy';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice } from '../test-support/sync-device';

// Presigned PUT URLs valid one second; S3 (a real RGW) refuses them after that.
let server: RealServer;
let s3Door: FaultProxy;
beforeAll(async () => {
  const s3 = inject('s3')!;
  s3Door = await startFaultProxy({ upstream: s3.endpoint });
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3, s3Via: s3Door.url, presignSeconds: 1 });
});
afterAll(async () => {
  await server?.close();
  await s3Door?.stop();
});

describe('presigned URLs', () => {
  it('asks for a new URL when S3 says the old one expired, and never makes a dead letter of it', async () => {
    const device = await startSyncDevice(server.url, await server.enrollmentToken());
    try {
      // The first two PUTs are held past their URL's expiry before S3 sees them.
      s3Door.setRules([{ method: 'PUT', times: 2, action: { kind: 'stall', ms: 2_500, then: 'forward' } }]);
      const id = await device.shot();
      device.stack.engine.start();
      await device.drained();

      const puts = s3Door.events.filter((e) => e.method === 'PUT');
      expect(puts.map((e) => e.kind)).toEqual(['stall', 'stall', 'pass']);
      // The device's outbox once read empty before the server's row read `received` (CI, not diagnosed): wait for the server.
      await expect.poll(async () => (await serverTruth(server.databaseUrl, device.deviceId)).shots.get(id), { timeout: 15_000 }).toMatchObject({ count: 1, state: 'received' });
      expect(device.counts().dead).toBe(0);
    } finally {
      s3Door.setRules([]);
      await device.close();
    }
  });
});
