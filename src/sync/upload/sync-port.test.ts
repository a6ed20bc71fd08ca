import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TrackerEvent } from '../../shared/tracker-api';
import { ClockOffset } from '../api/clock-offset';
import { memoryCredentialStore } from '../api/credential-store';
import { createServerClient } from '../api/server-client';
import { enrollDevice } from '../session/sign-in';
import { newId } from '../../shared/ids';
import { openDb } from '../db/open-db';
import { queueCounts } from '../db/queue-counts';
import { createUploadQueue } from '../db/upload-queue';
import { outboxPaths } from '../db/outbox';
import { tempDir } from '../test-support/temp-dir';
import { recordShot } from '../test-support/device-records';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { tinyWebp } from '../test-support/tiny-images';
import { createTrackerSync } from './sync-port';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

describe('tracker sync port', () => {
  it('sends sync-progress to listeners from before the engine existed, and none after they unsubscribe', async () => {
    const home = tempDir('stint-tracker-sync-');
    const { dbFile, shotsDir } = outboxPaths(home.path);
    mkdirSync(shotsDir, { recursive: true });
    const db = openDb(dbFile);
    const clock = new ClockOffset();
    const credentials = memoryCredentialStore();
    const client = createServerClient({ baseUrl: server.url, credentials, clock });
    await enrollDevice(client, credentials, { enrollmentToken: await server.enrollmentToken(), deviceId: newId(), name: 'port test', platform: 'linux' });
    const sync = createTrackerSync({ serverUrl: server.url, clock, credentials, keepLocalDays: () => 0, engine: { idlePollMs: 50 } });
    const seen = { kept: 0, leftEarly: 0, leftLater: 0 };
    const count = (key: keyof typeof seen) => (e: TrackerEvent) => void (e.type === 'sync-progress' && seen[key]++);
    sync.on(count('kept'));
    sync.on(count('leftEarly'))();
    const leaveLater = sync.on(count('leftLater'));
    const port = sync.port({ queue: createUploadQueue(db), dataDir: home.path });
    try {
      port.start();
      await recordShot(db, shotsDir, null, Date.now(), tinyWebp);
      sync.stack!.engine.notify();
      await expect.poll(() => seen.kept, { timeout: 10_000 }).toBe(1);
      expect(seen).toEqual({ kept: 1, leftEarly: 0, leftLater: 1 });

      leaveLater();
      await recordShot(db, shotsDir, null, Date.now(), tinyWebp);
      sync.stack!.engine.notify();
      await expect.poll(() => seen.kept, { timeout: 10_000 }).toBe(2);
      expect(seen).toEqual({ kept: 2, leftEarly: 0, leftLater: 1 });
      expect(queueCounts(db, Date.now())).toMatchObject({ screenshots: 0, dead: 0 });
    } finally {
      await port.stop();
      db.close();
      home.remove();
    }
  });
});
