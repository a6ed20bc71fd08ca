import { unlink } from 'node:fs/promises';
import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { MAX_OPS_PER_PUSH } from '../../shared/http/sync';
import type { BlobUploader } from '../api/blob-upload';
import type { ClockOffset } from '../api/clock-offset';
import type { CredentialStore } from '../api/credential-store';
import type { ServerClient } from '../api/server-client';
import { defaultBackoff, nextDelay, type BackoffPolicy } from './backoff';
import type { Catalog, CatalogCache } from './catalog-sync';
import { EngineStatus, type SyncEvent, type SyncStatus } from './engine-status';
import { classifyFailure, type FailureClass } from './failure-classifier';
import { OnlineMonitor, defaultProbePolicy, type ProbePolicy } from './online-state';
import { pushOps } from './ops-batch';
import type { OpJob, ScreenshotJob, UploadQueue } from './outbox-port';
import { uploadScreenshot } from './screenshot-job';
import { classifyJobFailure, rowFate } from './job-failure';
import { systemTimers, type Timers } from './timers';

export interface SyncEngineOptions {
  queue: UploadQueue;
  client: ServerClient;
  blob: BlobUploader;
  credentials: CredentialStore;
  /** The server-corrected clock (measured from Date headers by the client). */
  clock: ClockOffset;
  timers?: Timers;
  /** Blob PUTs at once (2–4). Up to twice as many screenshots are in flight, so their API calls overlap the PUTs. */
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
  catalog?: { cache: CatalogCache; intervalMs?: number; onCatalog?: (catalog: Catalog) => void };
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /** New rows were written: look now instead of at the next poll. */
  notify(): void;
  /** A platform hint that the network changed: probe offline origins now. */
  nudge(): void;
  /** A new credential was stored: resume a paused engine. */
  signedIn(): void;
  /** Dead letters back to the queue (one, or all). Returns how many. */
  retryDead(id?: string): number;
  status(): SyncStatus;
  on(listener: (event: SyncEvent) => void): () => void;
  readonly stats: { requests: () => number; probes: () => number };
}

const IN_RUN_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 2_000 };

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const timers = options.timers ?? systemTimers;
  const backoff = options.backoff ?? defaultBackoff;
  const concurrency = Math.min(4, Math.max(1, options.concurrency ?? 3));
  const inFlightShots = concurrency * 2;
  const putSlots = pLimit(concurrency);
  const blob: BlobUploader = { ...options.blob, put: (...args) => putSlots(() => options.blob.put(...args)) };
  const leaseMs = options.leaseMs ?? 120_000;
  const idlePollMs = options.idlePollMs ?? 2_000;
  const inRunRetries = options.inRunRetries ?? 2;
  const random = options.random ?? Math.random;
  const removeFile = options.removeFile ?? ((job: ScreenshotJob) => unlink(job.filePath).catch(ignoreMissing));
  const { queue, client } = options;
  const status = new EngineStatus();
  const abort = new AbortController();
  const signal = abort.signal;
  let workers: Promise<void>[] = [];
  let wakers = new Set<() => void>();
  let resumers: Array<() => void> = [];
  let deviceId: string | null = null;
  let blobOrigin: string | null = null;
  const blobs = new Map<string, OnlineMonitor>();

  const refreshState = () => {
    const state = deviceId === null
      ? 'signed-out'
      : client.session.signInRequired
        ? 'paused'
        : !api.online || (blobOrigin !== null && !blobMonitor(blobOrigin).online)
          ? 'offline'
          : status.snapshot.inFlight > 0
            ? 'syncing'
            : 'idle';
    status.update({ state });
  };
  const api = new OnlineMonitor(() => client.probe(), timers, options.probe ?? defaultProbePolicy, refreshState, signal);
  function blobMonitor(origin: string): OnlineMonitor {
    let monitor = blobs.get(origin);
    if (!monitor) {
      monitor = new OnlineMonitor(() => options.blob.probe(origin), timers, options.probe ?? defaultProbePolicy, refreshState, signal);
      blobs.set(origin, monitor);
    }
    return monitor;
  }

  const wake = () => {
    const current = wakers;
    wakers = new Set();
    for (const w of current) w();
  };
  const idle = async (ms = idlePollMs) => {
    const local = new AbortController();
    const stop = () => local.abort();
    signal.addEventListener('abort', stop, { once: true });
    await new Promise<void>((resolve) => {
      wakers.add(resolve);
      timers.sleep(ms, local.signal).then(resolve, resolve);
    });
    signal.removeEventListener('abort', stop);
    local.abort();
  };

  const loadDevice = () => {
    deviceId = options.credentials.load()?.deviceId ?? null;
  };

  /** Wait until sync may run: credentials usable, the API (and for uploads the blob store) answering. */
  async function gate(forUploads: boolean): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      if (deviceId === null || client.session.signInRequired) {
        refreshState();
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          resumers.push(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          });
        });
      } else if (!api.online) await api.whenOnline(signal);
      else if (forUploads && blobOrigin !== null && !blobMonitor(blobOrigin).online) await blobMonitor(blobOrigin).whenOnline(signal);
      else return;
    }
  }

  const retryable = async (err: unknown, attemptNumber: number): Promise<boolean> => {
    if (signal.aborted) return false;
    const { failure } = classifyJobFailure(err);
    if (failure.kind !== 'transient' || failure.offline || (failure.retryAfterMs ?? 0) > 5_000) return false;
    await timers.sleep(nextDelay(attemptNumber - 1, failure.retryAfterMs, IN_RUN_BACKOFF, random), signal);
    return true;
  };
  const withRetries = <T>(fn: () => Promise<T>) =>
    pRetry(fn, { retries: inRunRetries, minTimeout: 0, maxTimeout: 0, shouldRetry: ({ error, attemptNumber }) => retryable(error, attemptNumber) });

  function succeeded(count: number): void {
    api.markOnline();
    const s = status.snapshot;
    status.update({ lastSuccessAt: timers.now(), lastError: null, uploaded: s.uploaded + count });
    let pending: ReturnType<NonNullable<SyncEngineOptions['pending']>> | undefined;
    try {
      pending = options.pending?.();
    } catch {
      pending = undefined; // counts are for the UI; an outbox closing under us must not stop uploads
    }
    if (pending) status.progress({ uploaded: s.uploaded + count, remaining: pending.screenshots + pending.ops, bytesPending: pending.bytesPending });
  }

  /** Decide a failed row's fate. `attempts`: the row's earlier failed attempts. */
  async function failed(err: unknown, attempts: number): Promise<FailureClass> {
    const classified = classifyJobFailure(err);
    const { target } = classified;
    let { failure } = classified;
    if (signal.aborted) return { kind: 'transient', reason: 'sync stopped', retryAfterMs: null, countAttempt: false, offline: false };
    if (failure.kind === 'permanent' && failure.status === 403 && target === 'api') failure = await checkCredential(failure, attempts);
    if (failure.kind === 'transient' && failure.offline) (target === 'api' ? api : blobMonitor(target.origin)).markOffline();
    else if (target === 'api' && failure.kind !== 'sign-in-required') api.markOnline();
    status.update({ lastError: failure.reason });
    refreshState();
    return failure;
  }

  /**
   * A 403 may mean "this device was revoked": ask the server with a fresh exchange before
   * dead-lettering anything. A 403 the credential survives is believed on its second attempt only
   * (a server-side race, e.g. two first requests registering the device at once, must not kill rows).
   */
  async function checkCredential(failure: FailureClass, attempts: number): Promise<FailureClass> {
    try {
      await client.session.reauthenticate();
    } catch (err) {
      const again = classifyFailure(err);
      return again.kind === 'permanent' ? failure : again;
    }
    if (attempts >= 1) return failure;
    return { kind: 'transient', reason: failure.reason, retryAfterMs: null, countAttempt: true, offline: false };
  }

  function settle(failure: FailureClass, attempts: number, retry: (at: number, countAttempt: boolean) => void, dead: () => void): void {
    const fate = rowFate(failure, attempts, timers.now(), backoff, random);
    if (fate.kind === 'dead') dead();
    else retry(fate.at, fate.countAttempt);
  }

  async function runScreenshot(job: ScreenshotJob): Promise<void> {
    const deps = {
      client,
      blob,
      deviceId: deviceId!,
      serverNow: () => options.clock.now(),
      onBlobOrigin: (origin: string) => void (blobOrigin = origin),
    };
    try {
      await withRetries(() => uploadScreenshot(job, deps, signal));
    } catch (err) {
      const failure = await failed(err, job.attempts);
      settle(
        failure,
        job.attempts,
        (at, count) => queue.retryScreenshot(job.id, at, failure.reason, count),
        () => queue.deadScreenshot(job.id, failure.reason, timers.now()),
      );
      return;
    }
    await confirmed(job);
  }

  // Done marks are written in small batches when the outbox can (one fsync per batch, not per row);
  // until then a row stays leased, and a kill only costs a replay that the server answers "stored".
  const doneBatch: ScreenshotJob[] = [];
  let doneFlush: Promise<void> | null = null;
  async function confirmed(job: ScreenshotJob): Promise<void> {
    if (!queue.markScreenshotsDone) {
      queue.markScreenshotDone(job.id, timers.now());
      await removeFile(job);
      return succeeded(1);
    }
    doneBatch.push(job);
    scheduleFlush();
  }
  // The worker moves on; stop() waits until no batch is pending or being written.
  function scheduleFlush(): void {
    doneFlush ??= new Promise<void>((r) => setTimeout(r, 20))
      .then(flushDone)
      .finally(() => {
        doneFlush = null;
        if (doneBatch.length) scheduleFlush();
      });
  }
  async function flushDone(): Promise<void> {
    const jobs = doneBatch.splice(0);
    try {
      queue.markScreenshotsDone!(jobs.map((j) => j.id), timers.now());
    } catch (err) {
      status.update({ lastError: `could not record uploads in the outbox: ${(err as Error).message}` });
      return;
    }
    await Promise.all(jobs.map((j) => removeFile(j).catch(() => undefined)));
    succeeded(jobs.length);
  }

  async function runOps(jobs: OpJob[]): Promise<void> {
    const ids = jobs.map((j) => j.id);
    try {
      const sentAt = () => new Date(options.clock.now()).toISOString();
      const outcome = await withRetries(() => pushOps(jobs, { client, deviceId: deviceId!, sentAt, signal }));
      const now = timers.now();
      queue.markOpsDone(outcome.applied, now);
      for (const r of outcome.rejected) queue.deadOp(r.id, r.reason, now);
      if (outcome.unanswered.length) queue.retryOps(outcome.unanswered, now, 'the server did not answer for this op', false);
      if (outcome.rejected.length) status.update({ lastError: outcome.rejected[0]!.reason });
      succeeded(outcome.applied.length);
    } catch (err) {
      const attempts = Math.max(...jobs.map((j) => j.attempts));
      const failure = await failed(err, attempts);
      settle(
        failure,
        attempts,
        (at, count) => queue.retryOps(ids, at, failure.reason, count),
        () => ids.forEach((id) => queue.deadOp(id, failure.reason, timers.now())),
      );
    }
  }

  const busy = async (fn: () => Promise<void>) => {
    status.update({ inFlight: status.snapshot.inFlight + 1 });
    refreshState();
    try {
      await fn();
    } finally {
      status.update({ inFlight: status.snapshot.inFlight - 1 });
      refreshState();
    }
  };

  async function opsWorker(): Promise<void> {
    while (!signal.aborted) {
      await gate(false);
      const jobs = queue.claimOps(MAX_OPS_PER_PUSH, leaseMs, timers.now());
      if (jobs.length === 0) {
        await idle();
        continue;
      }
      await busy(() => runOps(jobs));
    }
  }

  // Screenshots do not wait for ops: the server keeps a screenshot's entry id without requiring the entry.
  // One claim (one outbox transaction) serves all workers: claims cost an fsync each.
  let claimed: { jobs: ScreenshotJob[]; at: number } = { jobs: [], at: 0 };
  const releaseClaimed = () => {
    for (const job of claimed.jobs.splice(0)) queue.retryScreenshot(job.id, timers.now(), 'released unstarted', false);
  };
  function nextScreenshot(): ScreenshotJob | undefined {
    const now = timers.now();
    // Jobs that waited half their lease go back rather than risk a second claim of the same row.
    if (claimed.jobs.length && now - claimed.at > leaseMs / 2) releaseClaimed();
    if (!claimed.jobs.length) claimed = { jobs: queue.claimScreenshots(inFlightShots, leaseMs, now), at: now };
    return claimed.jobs.shift();
  }

  async function screenshotWorker(): Promise<void> {
    while (!signal.aborted) {
      await gate(true);
      const job = nextScreenshot();
      if (!job) {
        await idle();
        continue;
      }
      await busy(() => runScreenshot(job));
    }
  }

  async function catalogWorker(): Promise<void> {
    const catalog = options.catalog!;
    while (!signal.aborted) {
      await gate(false);
      let wait = catalog.intervalMs ?? 10 * 60_000;
      try {
        const [me, projects] = await Promise.all([client.me(signal), client.projects(signal)]);
        const pulled: Catalog = { me, projects, fetchedAt: timers.now() };
        catalog.cache.save(pulled);
        catalog.onCatalog?.(pulled);
        api.markOnline();
      } catch (err) {
        await failed(err, 1);
        wait = 30_000;
      }
      await timers.sleep(wait, signal).catch(() => undefined);
    }
  }

  const guard = (p: Promise<void>) => p.catch((err) => {
    if (!signal.aborted) status.update({ lastError: `sync worker stopped: ${(err as Error).message}` });
  });

  return {
    start() {
      if (workers.length) return;
      loadDevice();
      refreshState();
      workers = [opsWorker(), ...Array.from({ length: inFlightShots }, screenshotWorker)];
      if (options.catalog) workers.push(catalogWorker());
      workers = workers.map(guard);
    },
    async stop() {
      abort.abort(new Error('sync stopped'));
      wake();
      await Promise.all(workers);
      while (doneFlush) await doneFlush;
      releaseClaimed();
    },
    notify: wake,
    nudge() {
      api.nudge();
      for (const m of blobs.values()) m.nudge();
    },
    signedIn() {
      loadDevice();
      client.session.signedIn();
      const current = resumers;
      resumers = [];
      for (const r of current) r();
      refreshState();
    },
    retryDead(id) {
      const n = queue.requeueDead(id, timers.now());
      wake();
      return n;
    },
    status: () => status.snapshot,
    on: (listener) => status.on(listener),
    stats: {
      requests: () => client.stats.requests + options.blob.stats.requests,
      probes: () => api.probes + [...blobs.values()].reduce((n, m) => n + m.probes, 0),
    },
  };
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
