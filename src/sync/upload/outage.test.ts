import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../test/infra/fault-proxy';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice, type SyncDevice } from '../test-support/sync-device';

// Outages of the API server and, separately, of S3 (a proxy in front of it that goes down as a whole).
let server: RealServer;
let s3Door: FaultProxy;
beforeAll(async () => {
  const s3 = inject('s3')!;
  s3Door = await startFaultProxy({ upstream: s3.endpoint });
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3, s3Via: s3Door.url });
});
afterAll(async () => {
  await server?.close();
  await s3Door?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function captureFor(device: SyncDevice, rounds: number, ids: string[]): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    ids.push(await device.shot(), device.minute());
    await sleep(100);
  }
}

async function expectExactly(device: SyncDevice, ids: string[]): Promise<void> {
  const truth = await serverTruth(server.databaseUrl, device.deviceId);
  const onServer = [...truth.shots.keys(), ...truth.ops.keys()].sort();
  expect(onServer).toEqual([...ids].sort());
  for (const row of truth.shots.values()) expect(row).toMatchObject({ count: 1, state: 'received' });
  expect(device.counts()).toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
}

/** A started device that already delivered a little: the outage hits a working engine. */
async function syncingDevice(): Promise<{ device: SyncDevice; ids: string[] }> {
  const device = await startSyncDevice(server.url, await server.enrollmentToken());
  const ids: string[] = [];
  device.stack.engine.start();
  await captureFor(device, 3, ids);
  await device.drained();
  return { device, ids };
}

describe('outages', () => {
  it('keeps capturing while the server is stopped, probes politely, and drains the backlog when it is back', async () => {
    const { device, ids } = await syncingDevice();
    try {

      await server.stop();
      await captureFor(device, 10, ids);
      await expect.poll(() => device.stack.engine.status().state, { timeout: 10_000 }).toBe('offline');
      expect(device.counts().screenshots).toBeGreaterThan(0);

      const requestsBefore = device.stack.client.stats.requests;
      const probesBefore = device.stack.engine.stats.probes();
      const startedAt = Date.now();
      await captureFor(device, 20, ids);
      const elapsedMs = Date.now() - startedAt;
      const probes = device.stack.engine.stats.probes() - probesBefore;
      // While offline only the probe talks to the server, at most one per second after its first quick tries.
      expect(device.stack.client.stats.requests - requestsBefore).toBe(probes);
      expect(probes).toBeLessThanOrEqual(Math.ceil(elapsedMs / 1_000) + 3);
      expect(device.stack.engine.status().state).toBe('offline');

      await server.restart();
      await device.drained();
      await expectExactly(device, ids);
      expect(device.stack.engine.status().state).toBe('idle');
    } finally {
      await device.close();
    }
  });

  it('keeps pushing ops while S3 is down, holds the screenshots, and uploads them when S3 is back', async () => {
    const { device, ids } = await syncingDevice();
    try {

      await s3Door.setDown(true);
      await captureFor(device, 12, ids);
      await expect.poll(() => device.stack.engine.status().state, { timeout: 10_000 }).toBe('offline');
      // Activity does not wait for S3.
      await expect.poll(() => device.counts().ops, { timeout: 10_000 }).toBe(0);
      expect(device.counts().screenshots).toBeGreaterThan(0);
      expect(device.counts().dead).toBe(0);

      await s3Door.setDown(false);
      await device.drained();
      await expectExactly(device, ids);
    } finally {
      await device.close();
    }
  });
});
