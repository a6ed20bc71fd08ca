import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './test-support/fault-proxy';
import { startRealServer, type RealServer } from './test-support/real-server';
import { serverTruth } from './test-support/server-truth';
import { startSyncDevice } from './test-support/sync-device';

let server: RealServer;
let apiDoor: FaultProxy;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
  apiDoor = await startFaultProxy({ upstream: server.url });
});
afterAll(async () => {
  await apiDoor?.stop();
  await server?.close();
});

describe('a server asking for a pause', () => {
  it('gets no request from any worker before its Retry-After has passed, then everything is delivered', async () => {
    const arrivals: Array<{ method: string; path: string; at: number }> = [];
    const device = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), { engine: { inRunRetries: 0 } });
    const lastError = (id: string) => (device.db.prepare(`SELECT last_error FROM screenshots WHERE id = ?`).get(id) as { last_error: string | null }).last_error;
    try {
      apiDoor.setRules([
        { when: (req) => (arrivals.push({ method: req.method, path: req.path, at: Date.now() }), false), action: { kind: 'pass' } },
        { method: 'POST', path: '/v1/screenshots', times: 1, action: { kind: 'respond', status: 429, retryAfter: 2 } },
      ]);
      const shot = await device.shot();
      device.stack.engine.start();
      await expect.poll(() => lastError(shot), { timeout: 10_000 }).toMatch(/^429/);
      const refusedAt = arrivals.find((a) => a.method === 'POST' && a.path === '/v1/screenshots')!.at;
      // Work for another worker, queued after the 429: it waits too.
      const op = device.minute();
      device.stack.engine.notify();
      await device.drained();

      const push = arrivals.find((a) => a.path === '/v1/sync/push');
      expect(push).toBeDefined();
      expect(push!.at - refusedAt).toBeGreaterThanOrEqual(2_000);
      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect(truth.shots.get(shot)).toMatchObject({ count: 1, state: 'stored' });
      expect(truth.ops.has(op)).toBe(true);
    } finally {
      apiDoor.setRules([]);
      await device.close();
    }
  });
});
