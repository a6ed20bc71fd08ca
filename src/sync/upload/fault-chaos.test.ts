import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeviceJournal } from '../test-support/device-journal';
import { startFaultProxy, type FaultProxy } from '../../../test/infra/fault-proxy';
import { chaosFaults } from '../test-support/chaos-faults';
import { expectJepsenClean } from '../test-support/jepsen-check';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { startSyncDevice } from '../test-support/sync-device';

// A fault proxy between the engine and the server, another between everyone and S3.
let server: RealServer;
let apiDoor: FaultProxy;
let s3Door: FaultProxy;
beforeAll(async () => {
  const s3 = inject('s3')!;
  s3Door = await startFaultProxy({ upstream: s3.endpoint, seed: 7 });
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3, s3Via: s3Door.url });
  apiDoor = await startFaultProxy({ upstream: server.url, seed: 11 });
});
afterAll(async () => {
  await apiDoor?.stop();
  await server?.close();
  await s3Door?.stop();
});

const { api: apiFaults, s3: s3Faults } = chaosFaults();

describe('through a faulty network', () => {
  it('gets every durable record to the server exactly once despite 5xx, 429, resets, stalls and lost answers', async () => {
    const device = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), {
      timeoutMs: 5_000,
      engine: { concurrency: 3, backoff: { baseMs: 200, capMs: 2_000 } },
    });
    const journalPath = join(device.dir, 'journal.log');
    const journal = new DeviceJournal(journalPath);
    try {
      apiDoor.setRules(apiFaults);
      s3Door.setRules(s3Faults);
      device.stack.engine.start();
      for (let i = 0; i < 60; i++) {
        await device.shot(journal);
        device.minute(journal);
        await new Promise((r) => setTimeout(r, 40));
      }
      // Let the engine fight the faults for a while, then heal the network and let it finish.
      await expect.poll(() => apiDoor.counts['drop-response'] > 3 && s3Door.counts['drop-response'] > 3, { timeout: 30_000 }).toBe(true);
      apiDoor.setRules([]);
      s3Door.setRules([]);
      await device.drained(60_000);

      const summary = await expectJepsenClean({ journalPath, databaseUrl: server.databaseUrl, deviceId: device.deviceId, outbox: device.counts(), objects: server });
      expect(summary.acked).toBe(120);
      for (const kind of ['respond', 'reset-request', 'reset-response', 'drop-response'] as const) expect(apiDoor.counts[kind]).toBeGreaterThan(0);
      for (const kind of ['respond', 'reset-request', 'drop-response'] as const) expect(s3Door.counts[kind]).toBeGreaterThan(0);
    } finally {
      journal.close();
      apiDoor.setRules([]);
      s3Door.setRules([]);
      await device.close();
    }
  });
});
