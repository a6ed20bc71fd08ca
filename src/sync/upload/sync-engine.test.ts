import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deadLetters } from '../db/queue-counts';
import { tempDir } from '../test-support/temp-dir';
import { createScreenshotsRepository } from '../db/screenshots.repository';
import type { SyncEvent } from './engine-status';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice } from '../test-support/sync-device';
import type { UploadQueue } from '../db/outbox-port';

// The engine against the real server, real PostgreSQL and a real S3 that checks SigV4 signatures.
let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

async function objectSha256(key: string): Promise<string> {
  const res = await server.s3.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
  return createHash('sha256').update(await res.Body!.transformToByteArray()).digest('hex');
}

async function objectKeys(ids: string[]): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ id: string; object_key: string }>(`SELECT id, object_key FROM screenshots WHERE id = ANY($1)`, [ids]);
    return new Map(r.rows.map((row) => [row.id, row.object_key]));
  } finally {
    await client.end();
  }
}

describe('sync engine against the real server', () => {
  it('drains screenshots and ops exactly once, with the right bytes, and removes the local files', async () => {
    const device = await startSyncDevice(server.url, await server.enrollmentToken(), { engine: { concurrency: 3 } });
    try {
      const shots: string[] = [];
      const ops: string[] = [];
      for (let i = 0; i < 24; i++) {
        shots.push(await device.shot());
        ops.push(device.minute());
      }
      const repo = createScreenshotsRepository(device.db);
      const local = new Map(shots.map((id) => [id, repo.get(id)!]));
      const localSha = new Map(shots.map((id) => [id, createHash('sha256').update(readFileSync(local.get(id)!.filePath)).digest('hex')]));
      const events: SyncEvent[] = [];
      device.stack.engine.on((e) => events.push(e));

      device.stack.engine.start();
      await device.drained();

      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect([...truth.shots.keys()].sort()).toEqual([...shots].sort());
      expect([...truth.ops.keys()].sort()).toEqual([...ops].sort());
      for (const [id, row] of truth.shots) {
        expect(row.count).toBe(1);
        expect(row.state).toBe('received');
        expect(row.sha256).toBe(localSha.get(id));
        expect(row.takenAt.getTime()).toBe(local.get(id)!.takenAt);
      }
      const keys = await objectKeys(shots);
      for (const id of shots.slice(0, 5)) expect(await objectSha256(keys.get(id)!)).toBe(localSha.get(id));
      for (const id of shots) expect(existsSync(local.get(id)!.filePath)).toBe(false);

      const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
      expect(progress.at(-1)).toEqual({ uploaded: 48, remaining: 0, bytesPending: 0 });
      expect(device.stack.engine.status()).toMatchObject({ state: 'idle', lastError: null, inFlight: 0 });
      expect(device.stack.engine.status().lastSuccessAt).not.toBeNull();
      expect(device.counts()).toMatchObject({ screenshots: 0, ops: 0, dead: 0, oldestUnsyncedSeconds: null });
    } finally {
      await device.close();
    }
  });

  it('stops mid-drain without touching the outbox afterwards, and a restart finishes the job exactly once', async () => {
    const home = tempDir('stint-stop-');
    const device = await startSyncDevice(server.url, await server.enrollmentToken(), { dir: home.path });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await device.shot());
    const firstUpload = new Promise<void>((resolve) => device.stack.engine.on((e) => e.type === 'progress' && resolve()));
    device.stack.engine.start();
    await firstUpload;
    await device.close();
    // Closed outbox: a late write from the engine (a done batch is written up to 100 ms after its
    // uploads) would throw here as an unhandled error, failing the run. Give it thrice that to show.
    await new Promise((r) => setTimeout(r, 300));

    const again = await startSyncDevice(server.url, null, { dir: device.dir, deviceId: device.deviceId });
    try {
      expect(again.counts().dead).toBe(0);
      again.stack.engine.start();
      await again.drained();
      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect([...truth.shots.keys()].sort()).toEqual([...ids].sort());
      for (const row of truth.shots.values()) expect(row).toMatchObject({ count: 1, state: 'received' });
    } finally {
      await again.close();
      home.remove();
    }
  });

  it('turns a rejected screenshot and a rejected op into visible dead letters that do not stop the rows behind them', async () => {
    const device = await startSyncDevice(server.url, await server.enrollmentToken());
    try {
      const ancient = Date.parse('1999-12-31T23:00:00.000Z');
      const badShot = await device.shot(null, ancient);
      const badOp = device.minute(null, ancient);
      const good: string[] = [];
      for (let i = 0; i < 8; i++) good.push(await device.shot(), device.minute());

      device.stack.engine.start();
      await device.drained();

      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      for (const id of good) expect(truth.shots.has(id) || truth.ops.has(id)).toBe(true);
      expect(truth.shots.has(badShot) || truth.ops.has(badOp)).toBe(false);
      const dead = deadLetters(device.db);
      expect(dead.map((d) => d.id).sort()).toEqual([badShot, badOp].sort());
      for (const d of dead) expect(d.reason).toMatch(/422.*before 2000/);
      expect(device.counts().dead).toBe(2);
      // Its file stays: a dead letter is never dropped.
      expect(existsSync(createScreenshotsRepository(device.db).get(badShot)!.filePath)).toBe(true);

      // The retry action puts it back in the queue; the server still refuses, so it is dead again, one attempt later.
      expect(device.stack.engine.retryDead(badShot)).toBe(1);
      await device.drained();
      await expect.poll(() => deadLetters(device.db).find((d) => d.id === badShot)?.attempts).toBe(2);
    } finally {
      await device.close();
    }
  });

  it('pauses with "sign in required" when the device is revoked, deletes nothing, and resumes after enrolling again', async () => {
    const device = await startSyncDevice(server.url, await server.enrollmentToken());
    try {
      device.stack.engine.start();
      const first = await device.shot();
      await device.drained();
      await server.revokeDevice(device.deviceId);

      const held: string[] = [];
      for (let i = 0; i < 5; i++) held.push(await device.shot(), device.minute());
      await expect.poll(() => device.stack.engine.status().state, { timeout: 10_000 }).toBe('paused');
      expect(device.stack.engine.status().lastError).toMatch(/sign in required/);
      expect(device.counts()).toMatchObject({ screenshots: 5, ops: 5, dead: 0 });
      const repo = createScreenshotsRepository(device.db);
      for (const id of held) {
        const row = repo.get(id);
        if (row) expect(existsSync(row.filePath)).toBe(true);
      }

      // IT enrolls the machine again (a new device credential): the held backlog goes up.
      const { enrollDevice } = await import('../session/sign-in');
      const { newId } = await import('../../shared/ids');
      const deviceId = newId();
      await enrollDevice(device.stack.client, device.stack.credentials, {
        enrollmentToken: await server.enrollmentToken(),
        deviceId,
        name: 're-enrolled',
        platform: 'linux',
      });
      device.stack.engine.signedIn();
      await device.drained();
      const truth = await serverTruth(server.databaseUrl, deviceId);
      for (const id of held) expect(truth.shots.has(id) || truth.ops.has(id)).toBe(true);
      expect((await serverTruth(server.databaseUrl, device.deviceId)).shots.has(first)).toBe(true);
      expect(device.counts().dead).toBe(0);
    } finally {
      await device.close();
    }
  });

  it('goes on after the outbox fails under it (a busy database): every worker keeps working', async () => {
    let failures = 0;
    // The real outbox, failing its first claims the way a locked database does.
    const busyAtFirst = (queue: UploadQueue): UploadQueue =>
      Object.assign(Object.create(queue) as UploadQueue, {
        claimScreenshots: (limit: number, leaseMs: number, now: number) => {
          if (failures++ < 12) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
          return queue.claimScreenshots(limit, leaseMs, now);
        },
      });
    const device = await startSyncDevice(server.url, await server.enrollmentToken(), { wrapQueue: busyAtFirst });
    try {
      const errors: string[] = [];
      device.stack.engine.on((e) => e.type === 'status' && e.status.lastError && errors.push(e.status.lastError));
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await device.shot());
      device.stack.engine.start();
      await device.drained();
      expect(failures).toBeGreaterThan(12);
      expect(errors[0]).toMatch(/database is locked/);
      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect([...truth.shots.keys()].sort()).toEqual([...ids].sort());
    } finally {
      await device.close();
    }
  });
});
