import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../test/infra/fault-proxy';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice } from '../test-support/sync-device';

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

interface Row {
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  state: string;
}

describe('retry state in the outbox', () => {
  it('persists attempts, the next attempt time and the last error across runs; 429 does not spend attempts', async () => {
    const backoff = { baseMs: 60_000, capMs: 120_000 };
    const device = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), { engine: { backoff, inRunRetries: 0, random: () => 0.5 } });
    const row = (id: string) => device.db.prepare(`SELECT attempts, next_attempt_at, last_error, state FROM screenshots WHERE id = ?`).get(id) as Row;
    try {
      // The server is overloaded: every (batch) declare answers 503.
      apiDoor.setRules([{ method: 'POST', path: '/v1/screenshots/batch', action: { kind: 'respond', status: 503 } }]);
      const id = await device.shot();
      const startedAt = Date.now();
      device.stack.engine.start();
      await expect.poll(() => row(id).attempts, { timeout: 10_000 }).toBe(1);
      const failed = row(id);
      expect(failed).toMatchObject({ state: 'captured', last_error: expect.stringMatching(/^503/) });
      // Full jitter of the first ceiling (base): half of it with this random source, on the engine's
      // scheduling clock (the later of the device clock and the server-corrected one).
      const schedulingNow = Math.max(Date.now(), device.stack.clock.now());
      expect(failed.next_attempt_at).toBeGreaterThanOrEqual(startedAt + backoff.baseMs / 2);
      expect(failed.next_attempt_at).toBeLessThanOrEqual(schedulingNow + backoff.baseMs / 2);
      await device.stack.engine.stop();
      expect(row(id)).toEqual(failed);
    } finally {
      await device.close();
    }
  });

  it('waits out 429s by Retry-After without counting them, then delivers', async () => {
    const device = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), { engine: { inRunRetries: 0 } });
    const row = (id: string) => device.db.prepare(`SELECT attempts, last_error FROM screenshots WHERE id = ?`).get(id) as Pick<Row, 'attempts' | 'last_error'>;
    try {
      apiDoor.setRules([{ method: 'POST', path: '/v1/screenshots/batch', times: 2, action: { kind: 'respond', status: 429, retryAfter: 1 } }]);
      const id = await device.shot();
      device.stack.engine.start();
      await expect.poll(() => row(id).last_error, { timeout: 10_000 }).toMatch(/^429/);
      expect(row(id).attempts).toBe(0);
      await device.drained();
      expect(row(id).attempts).toBe(0);
      expect((await serverTruth(server.databaseUrl, device.deviceId)).shots.get(id)).toMatchObject({ count: 1, state: 'received' });
    } finally {
      apiDoor.setRules([]);
      await device.close();
    }
  });
});

describe('a server asking for a pause', () => {
  it('gets no request from any worker before its Retry-After has passed, then everything is delivered', async () => {
    const arrivals: Array<{ method: string; path: string; at: number }> = [];
    const device = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), { engine: { inRunRetries: 0 } });
    const lastError = (id: string) => (device.db.prepare(`SELECT last_error FROM screenshots WHERE id = ?`).get(id) as { last_error: string | null }).last_error;
    try {
      apiDoor.setRules([
        { when: (req) => (arrivals.push({ method: req.method, path: req.path, at: Date.now() }), false), action: { kind: 'pass' } },
        { method: 'POST', path: '/v1/screenshots/batch', times: 1, action: { kind: 'respond', status: 429, retryAfter: 2 } },
      ]);
      const shot = await device.shot();
      device.stack.engine.start();
      await expect.poll(() => lastError(shot), { timeout: 10_000 }).toMatch(/^429/);
      const refusedAt = arrivals.find((a) => a.method === 'POST' && a.path === '/v1/screenshots/batch')!.at;
      // Work for another worker, queued after the 429: it waits too.
      const op = device.minute();
      device.stack.engine.notify();
      await device.drained();

      const push = arrivals.find((a) => a.path === '/v1/sync/push');
      expect(push).toBeDefined();
      expect(push!.at - refusedAt).toBeGreaterThanOrEqual(2_000);
      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect(truth.shots.get(shot)).toMatchObject({ count: 1, state: 'received' });
      expect(truth.ops.has(op)).toBe(true);
    } finally {
      apiDoor.setRules([]);
      await device.close();
    }
  });
});
