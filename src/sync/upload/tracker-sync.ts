import { unlink } from 'node:fs/promises';
import type { TrackerEvent } from '../../shared/tracker-api';
import type { ClockOffset } from '../api/clock-offset';
import { openDb } from '../db/open-db';
import { queueCounts } from '../db/queue-counts';
import { createUploadQueue } from '../db/upload-queue';
import { withBatchedDone } from './queue-with-batched-done';
import { outboxPaths } from '../db/outbox';
import type { SyncPort } from '../tracker';
import type { Catalog } from './catalog-sync';
import type { UploadQueue } from '../db/outbox-port';
import { createSyncStack, type SyncStack, type SyncStackOptions } from './sync-stack';

export interface TrackerSyncOptions {
  serverUrl: string;
  /** The tracker stamps its times with this clock; the engine measures it. */
  clock: ClockOffset;
  /** Days the org keeps uploaded screenshots on the device (0: delete once the server has them). */
  keepLocalDays: () => number;
  onCatalog?: (catalog: Catalog) => void;
  engine?: SyncStackOptions['engine'];
  credentials?: SyncStackOptions['credentials'];
}

export interface TrackerSync {
  /** For createTracker's `sync` port. */
  port: (outbox: { queue: UploadQueue; dataDir: string }) => SyncPort;
  /** The engine's progress as TrackerApi 'sync-progress' events (merge with the tracker's own events). */
  on(listener: (event: TrackerEvent) => void): () => void;
  /** The stack once the tracker made it (after createTracker). */
  readonly stack: SyncStack | null;
}

/** The sync engine as the tracker core's SyncPort, with status and progress in TrackerApi's terms. */
export function createTrackerSync(o: TrackerSyncOptions): TrackerSync {
  let stack: SyncStack | null = null;
  // Listeners that came before the engine: each keeps its unsubscribe, which is the engine's once it exists.
  const early = new Map<(event: TrackerEvent) => void, (() => void) | null>();
  return {
    get stack() {
      return stack;
    },
    on(listener) {
      if (stack) return subscribe(stack, listener);
      early.set(listener, null);
      return () => {
        early.get(listener)?.();
        early.delete(listener);
      };
    },
    port({ queue: trackerQueue, dataDir }) {
      // The engine writes through a connection of its own, so it can batch its done marks in one
      // transaction (one fsync); capture keeps the tracker's connection. Same file, same rows.
      const db = openDb(outboxPaths(dataDir).dbFile);
      const queue = trackerQueue.markScreenshotsDone ? trackerQueue : withBatchedDone(createUploadQueue(db), db);
      stack = createSyncStack({
        serverUrl: o.serverUrl,
        dir: dataDir,
        queue,
        clock: o.clock,
        credentials: o.credentials,
        onCatalog: o.onCatalog,
        pending: () => queueCounts(db, o.clock.now()),
        engine: {
          removeFile: async (job) => {
            if (o.keepLocalDays() === 0) await unlink(job.filePath).catch(() => undefined);
          },
          ...o.engine,
        },
      });
      const made = stack;
      for (const listener of early.keys()) early.set(listener, subscribe(made, listener));
      return {
        start: () => made.engine.start(),
        async stop() {
          await made.engine.stop();
          db.close();
        },
        status() {
          const s = made.engine.status();
          return { state: s.state, lastSuccessAt: s.lastSuccessAt === null ? null : new Date(s.lastSuccessAt).toISOString(), lastError: s.lastError };
        },
        retry: () => made.engine.notify(),
        notify: () => made.engine.notify(),
      };
    },
  };
}

function subscribe(stack: SyncStack, listener: (event: TrackerEvent) => void): () => void {
  return stack.engine.on((e) => {
    if (e.type === 'progress') listener({ type: 'sync-progress', ...e.progress });
  });
}
