/**
 * The one module that builds the sync port the tracker uses: the stack (clock offset, client, blob
 * PUTs, engine) and its adapter to createTracker's SyncPort, with status and progress in TrackerApi's terms.
 */
import { unlink } from 'node:fs/promises';
import type { TrackerEvent } from '../../shared/tracker-api';
import { openDb } from '../db/open-db';
import { queueCounts } from '../db/queue-counts';
import { createUploadQueue } from '../db/upload-queue';
import { withBatchedDone } from './queue-with-batched-done';
import { outboxPaths } from '../db/outbox';
import type { SyncOutbox, SyncPort } from '../tracker-types';
import type { UploadQueue } from '../db/outbox-port';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlobUploader, type BlobUploader } from '../api/blob-upload';
import { ClockOffset, type ClockOffsetState } from '../api/clock-offset';
import { fileCredentialStore, type CredentialStore } from '../api/credential-store';
import { createServerClient, type ServerClient } from '../api/server-client';
import { deviceReport, type DeviceFacts } from './device-report';
import { fileCatalogCache, type Catalog, type CatalogCache } from '../catalog/catalog-cache';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import { systemClock } from '../clock';

export interface SyncStackOptions {
  serverUrl: string;
  /** Where credentials.json, clock.json and catalog.json live (the tracker's data dir). */
  dir: string;
  queue: UploadQueue;
  credentials?: CredentialStore;
  pending?: SyncEngineOptions['pending'];
  onCatalog?: (catalog: Catalog) => void;
  /** Between pulls of the org policy and projects (default 10 minutes). */
  catalogPullMs?: number;
  /** Engine tuning (concurrency, lease, timers, backoff, removeFile, ...). */
  engine?: Partial<Omit<SyncEngineOptions, 'queue' | 'client' | 'blob' | 'credentials' | 'clock'>>;
  timeoutMs?: number;
  deviceNow?: () => number;
  /** A clock offset the caller already made (the tracker stamps its times with it); else loaded from `dir`. */
  clock?: ClockOffset;
}

export interface SyncStack {
  client: ServerClient;
  blob: BlobUploader;
  clock: ClockOffset;
  credentials: CredentialStore;
  catalog: CatalogCache;
  engine: SyncEngine;
}

/** The sync side of the core wired in one place: clock offset (persisted), client, blob PUTs, engine. */
export function createSyncStack(o: SyncStackOptions): SyncStack {
  mkdirSync(o.dir, { recursive: true });
  const deviceNow = o.deviceNow ?? Date.now;
  const clock = o.clock ?? loadClockOffset(o.dir, deviceNow);
  const credentials = o.credentials ?? fileCredentialStore(join(o.dir, 'credentials.json'));
  const client = createServerClient({ baseUrl: o.serverUrl, credentials, clock, timeoutMs: o.timeoutMs, deviceNow: o.deviceNow });
  const blob = createBlobUploader({ timeoutMs: o.timeoutMs });
  const catalog = fileCatalogCache(join(o.dir, 'catalog.json'));
  // The outbox is scheduled on the later of the device clock and the corrected one: rows stamped
  // with either are due at once, and a server found ahead does not hold back what was captured before.
  const timers = { ...systemClock, now: () => Math.max(deviceNow(), clock.now()) };
  const engine = createSyncEngine({
    timers,
    ...o.engine,
    queue: o.queue,
    client,
    blob,
    credentials,
    clock,
    pending: o.pending,
    catalog: { cache: catalog, onCatalog: o.onCatalog, intervalMs: o.catalogPullMs, ...o.engine?.catalog },
  });
  return { client, blob, clock, credentials, catalog, engine };
}

/** The offset persisted in `dir`/clock.json, kept up to date as it is re-measured. */
export function loadClockOffset(dir: string, deviceNow: () => number = Date.now): ClockOffset {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'clock.json');
  return new ClockOffset(deviceNow, readClock(path), (state) => {
    try {
      writeFileSync(path, JSON.stringify(state));
    } catch {
      // Losing the saved offset only costs one measurement after a restart.
    }
  });
}

function readClock(path: string): ClockOffsetState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ClockOffsetState;
    return typeof parsed.offsetMs === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface TrackerSyncOptions {
  serverUrl: string;
  /** Where this server's credential and catalog live (default: the tracker's data dir). */
  serverDir?: string;
  /** The tracker stamps its times with this clock; the engine measures it. */
  clock: ClockOffset;
  /** Days the org keeps uploaded screenshots on the device (0: delete once the server has them). */
  keepLocalDays: () => number;
  onCatalog?: (catalog: Catalog) => void;
  /** What the device reports with each push for IT's fleet view (its version, policy file error). */
  device?: DeviceFacts;
  catalogPullMs?: number;
  engine?: SyncStackOptions['engine'];
  credentials?: SyncStackOptions['credentials'];
}

export interface TrackerSync {
  /** For createTracker's `sync` port. */
  port: (outbox: SyncOutbox) => SyncPort;
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
    port({ queue: trackerQueue, dataDir, reviewMs, changed }) {
      // The engine writes through a connection of its own, so it can batch its done marks in one
      // transaction (one fsync); capture keeps the tracker's connection. Same file, same rows.
      const db = openDb(outboxPaths(dataDir).dbFile);
      const queue = trackerQueue.markScreenshotsDone ? trackerQueue : withBatchedDone(createUploadQueue(db, { reviewMs }), db);
      stack = createSyncStack({
        serverUrl: o.serverUrl,
        dir: o.serverDir ?? dataDir,
        queue,
        clock: o.clock,
        credentials: o.credentials,
        onCatalog: o.onCatalog,
        catalogPullMs: o.catalogPullMs,
        pending: () => queueCounts(db, o.clock.now()),
        engine: {
          removeFile: async (job) => {
            if (o.keepLocalDays() === 0) await unlink(job.filePath).catch(() => undefined);
          },
          ...(o.device ? { deviceReport: (sending: readonly string[]) => deviceReport(db, o.device!, sending) } : {}),
          ...o.engine,
        },
      });
      const made = stack;
      if (changed) made.engine.on(() => changed());
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
        flush: (ms) => made.engine.flushOps(ms),
        networkUp: () => made.engine.nudge(),
      };
    },
  };
}

function subscribe(stack: SyncStack, listener: (event: TrackerEvent) => void): () => void {
  return stack.engine.on((e) => {
    if (e.type === 'progress') listener({ type: 'sync-progress', ...e.progress });
  });
}
