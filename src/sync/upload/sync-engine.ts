import { unlink } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { BlobUploader } from '../api/blob-upload';
import type { ClockOffset } from '../api/clock-offset';
import type { CredentialStore } from '../api/credential-store';
import type { ServerClient } from '../api/server-client';
import { defaultBackoff, type BackoffPolicy } from './backoff';
import { catalogWorker, type CatalogOptions } from '../catalog/catalog-worker';
import type { EngineContext } from './engine-context';
import { createEngineOutcomes } from './engine-outcomes';
import { EngineStatus, type SyncEvent, type EngineSnapshot } from './engine-status';
import type { ProbePolicy } from './online-state';
import { opsWorker } from './ops-pipeline';
import type { ScreenshotJob, UploadQueue } from '../db/outbox-port';
import { ScreenshotPipeline } from './screenshot-pipeline';
import { SyncGate } from './sync-gate';
import { systemClock, type Clock } from '../clock';
import { WakeSignal } from './wake-signal';

export interface SyncEngineOptions {
  queue: UploadQueue;
  client: ServerClient;
  blob: BlobUploader;
  credentials: CredentialStore;
  /** The server-corrected clock (measured from Date headers by the client). */
  clock: ClockOffset;
  timers?: Clock;
  /** Blob PUTs at once (2–4). Declarations and completes go in batches of up to 100 beside them. */
  concurrency?: number;
  leaseMs?: number;
  /** How often an idle engine looks for due rows (a `notify()` wakes it at once). */
  idlePollMs?: number;
  backoff?: BackoffPolicy;
  probe?: ProbePolicy;
  /** Quick retries inside one run (p-retry) before a failure is written back to the row. */
  inRunRetries?: number;
  random?: () => number;
  /** After `complete`: delete the local file, or keep it for the review window. Default: unlink. */
  removeFile?: (job: ScreenshotJob) => Promise<void>;
  /** Pending work for progress events (the outbox's queue counts). */
  pending?: () => { screenshots: number; ops: number; bytesPending: number };
  catalog?: CatalogOptions;
  /** The device's report for the fleet view, sent with each push. */
  deviceReport?: EngineContext['deviceReport'];
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /**
   * Before a clean stop: give the ops (the closed entry, the last minute) up to `ms` to reach the
   * server, so a manager does not see the employee tracking until the next start. Resolves true
   * when none is left waiting; skipped at once while offline or signed out.
   */
  flushOps(ms: number): Promise<boolean>;
  /** New rows were written: look now instead of at the next poll. */
  notify(): void;
  /** A platform hint that the network changed: probe offline origins now. */
  nudge(): void;
  /** A new credential was stored: resume a paused engine. */
  signedIn(): void;
  /** Dead letters back to the queue (one, or all). Returns how many. */
  retryDead(id?: string): number;
  status(): EngineSnapshot;
  on(listener: (event: SyncEvent) => void): () => void;
  readonly stats: { requests: () => number; probes: () => number };
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const timers = options.timers ?? systemClock;
  const concurrency = Math.min(4, Math.max(1, options.concurrency ?? 3));
  const putSlots = pLimit(concurrency);
  const blob: BlobUploader = { ...options.blob, put: (...args) => putSlots(() => options.blob.put(...args)) };
  const random = options.random ?? Math.random;
  const { queue, client } = options;
  const status = new EngineStatus();
  const abort = new AbortController();
  const signal = abort.signal;
  const gate = new SyncGate({ client, blob: options.blob, credentials: options.credentials, timers, status, probe: options.probe, signal });
  const outcomes = createEngineOutcomes({
    client,
    gate,
    status,
    timers,
    signal,
    random,
    backoff: options.backoff ?? defaultBackoff,
    inRunRetries: options.inRunRetries ?? 2,
    pending: options.pending,
  });
  const ctx: EngineContext = {
    queue,
    client,
    timers,
    signal,
    status,
    gate,
    outcomes,
    wakes: new WakeSignal(timers, signal),
    leaseMs: options.leaseMs ?? 120_000,
    idlePollMs: options.idlePollMs ?? 2_000,
    deviceReport: options.deviceReport,
  };
  const screenshots = new ScreenshotPipeline(ctx, {
    blob,
    clock: options.clock,
    workers: concurrency,
    removeFile: options.removeFile ?? ((job) => unlink(job.filePath).catch(ignoreMissing)),
  });
  let workers: Promise<void>[] = [];

  const guard = (p: Promise<void>) =>
    p.catch((err) => {
      if (!signal.aborted) status.update({ lastError: `sync worker stopped: ${(err as Error).message}` });
    });

  return {
    start() {
      if (workers.length) return;
      gate.loadDevice();
      gate.refresh();
      workers = [opsWorker(ctx, options.clock), ...screenshots.workers()];
      if (options.catalog) workers.push(catalogWorker(ctx, options.catalog));
      workers = workers.map(guard);
    },
    async stop() {
      abort.abort(new Error('sync stopped'));
      ctx.wakes.wake();
      await Promise.all(workers);
      await screenshots.drain();
    },
    async flushOps(ms) {
      const pendingOps = () => options.pending?.().ops ?? 0;
      if (!workers.length || pendingOps() === 0) return pendingOps() === 0;
      const deadline = timers.now() + ms;
      ctx.wakes.wake();
      while (timers.now() < deadline) {
        const state = status.snapshot.state;
        if (state === 'offline' || state === 'paused' || state === 'signed-out') return false;
        if (pendingOps() === 0) return true;
        await timers.sleep(Math.min(50, Math.max(1, deadline - timers.now())));
      }
      return pendingOps() === 0;
    },
    notify: () => ctx.wakes.wake(),
    nudge: () => gate.nudge(),
    signedIn: () => gate.signedIn(),
    retryDead(id) {
      const n = queue.requeueDead(id, timers.now());
      ctx.wakes.wake();
      return n;
    },
    status: () => status.snapshot,
    on: (listener) => status.on(listener),
    stats: {
      requests: () => client.stats.requests + options.blob.stats.requests,
      probes: () => gate.probes,
    },
  };
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
