import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../db/open-db';
import { createUploadQueue } from '../db/upload-queue';
import { queueCounts, type QueueCounts } from '../db/queue-counts';
import { newId } from '../../shared/ids';
import { enrollDevice } from '../session/sign-in';
import { tempDir } from './temp-dir';
import { withBatchedDone } from '../upload/queue-with-batched-done';
import { createSyncStack, type SyncStack, type SyncStackOptions } from '../upload/sync-port';
import { recordMinute, recordShot } from './device-records';
import { tinyWebp } from './tiny-images';
import type { DeviceJournal } from './device-journal';
import type { UploadQueue } from '../db/outbox-port';

export interface SyncDevice {
  readonly dir: string;
  readonly deviceId: string;
  readonly db: Db;
  readonly stack: SyncStack;
  counts(): QueueCounts;
  shot(journal?: DeviceJournal | null, at?: number): Promise<string>;
  minute(journal?: DeviceJournal | null, at?: number): string;
  /** Wait until nothing is pending (dead letters aside); throws after `timeoutMs` with the status. */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A device with a real outbox on a temp dir, enrolled on `serverUrl` (not started: call stack.engine.start()). */
export async function startSyncDevice(
  serverUrl: string,
  enrollmentToken: string | null,
  options: Partial<Omit<SyncStackOptions, 'serverUrl' | 'dir' | 'queue'>> & {
    dir?: string;
    deviceId?: string;
    /** Put a fault in front of the real outbox. */
    wrapQueue?: (queue: UploadQueue) => UploadQueue;
  } = {},
): Promise<SyncDevice> {
  const temp = options.dir ? null : tempDir('stint-sync-');
  const dir = options.dir ?? temp!.path;
  const shotsDir = join(dir, 'shots');
  mkdirSync(shotsDir, { recursive: true });
  const db = openDb(join(dir, 'outbox.db'));
  const now = options.deviceNow ?? Date.now;
  const stack = createSyncStack({
    ...options,
    serverUrl,
    dir,
    queue: (options.wrapQueue ?? ((q) => q))(withBatchedDone(createUploadQueue(db), db)),
    pending: () => queueCounts(db, now()),
    engine: { idlePollMs: 100, ...options.engine },
  });
  const deviceId = options.deviceId ?? newId();
  if (enrollmentToken) {
    await enrollDevice(stack.client, stack.credentials, { enrollmentToken, deviceId, name: 'test device', platform: 'linux' });
  }
  const device: SyncDevice = {
    dir,
    deviceId,
    db,
    stack,
    counts: () => queueCounts(db, now()),
    async shot(journal = null, at = stack.clock.now()) {
      const id = await recordShot(db, shotsDir, journal, at, tinyWebp);
      stack.engine.notify();
      return id;
    },
    minute(journal = null, at = stack.clock.now()) {
      const id = recordMinute(db, journal, at);
      stack.engine.notify();
      return id;
    },
    async drained(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const c = device.counts();
        if (c.screenshots + c.ops === 0) return;
        if (Date.now() > until) {
          throw new Error(`outbox not drained after ${timeoutMs} ms: ${JSON.stringify(c)}, ${JSON.stringify(stack.engine.status())}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await stack.engine.stop();
      db.close();
      temp?.remove();
    },
  };
  return device;
}
