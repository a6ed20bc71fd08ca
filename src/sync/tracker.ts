import { trackerMethods, type TrackerApi, type TrackerEvent } from '../shared/tracker-api';
import { systemClock } from './clock';
import { recoverOutbox, sweepDoneFiles } from './recovery/recover';
import { logRecovery } from './recovery/recovery-log';
import { startHousekeeping } from './recovery/housekeeping';
import { checkpoint } from './db/open-db';
import { createUploadQueue } from './db/upload-queue';
import { dropUnsentEntryOpsOutside } from './db/ops.repository';
import { createScreenshotsRepository } from './db/screenshots.repository';
import { createEntriesRepository } from './timer/entries.repository';
import { createTimer } from './timer/timer';
import { createActivityRepository } from './activity/activity.repository';
import { createActivitySampler } from './activity/activity-sampler';
import { createIdleSpansRepository } from './idle/idle-spans.repository';
import { createIdleHandling } from './idle/idle-handling';
import { createCaptureScheduler } from './capture/scheduler';
import { createCaptureUseCase } from './capture/capture-use-case';
import { startCaptureWorker } from './capture/capture-worker-client';
import { defaultEncodeOptions } from './capture/encoder';
import { removeTempFiles } from './capture/atomic-file';
import { createSettingsRepository } from './settings/settings.repository';
import { unavailableLoginItem } from './settings/login-item';
import { computeStatus } from './status/tracker-status';
import { createStorageHealth } from './db/storage-health';
import { createMinuteWriter } from './activity/minute-writer';
import { callHandler, createTrackerHandlers } from './tracker-handlers';
import { createTrackerCatalog } from './catalog/tracker-catalog';
import { offlineSessionHandlers, type SessionHandlers } from './session/session-handlers';
import type { CatalogUpdate, SyncPort, Tracker, TrackerConfig, TrackerPorts } from './tracker-types';

export type { SyncStatus, SyncPort, TrackerPorts, Project, TrackerConfig, Tracker } from './tracker-types';
export { callHandler } from './tracker-handlers';

const iso = (ms: number) => new Date(ms).toISOString();
/** How long a clean stop waits for its last ops to reach the server (a stop must stay quick). */
const FINAL_PUSH_MS = 3_000;

/** The shell may forbid capture (screen locked, asleep, no screen-recording permission): skip it, and say so. */
function shootUnlessPaused(paused: TrackerPorts['capturePaused'], shoot: () => Promise<number>, skipped: (why: string) => void): void {
  const why = paused?.();
  if (why) skipped(why);
  else void shoot();
}

/** Every listener hears each event; a listener's failure is its own. */
function fanOut(listeners: Set<(e: TrackerEvent) => void>) {
  return (e: TrackerEvent) =>
    listeners.forEach((l) => {
      try {
        l(e);
      } catch {
        /* ignored on purpose */
      }
    });
}

/** The composition root of the core: opens the outbox, wires the parts, starts them. */
export async function createTracker(ports: TrackerPorts, config: TrackerConfig): Promise<Tracker> {
  const clock = ports.clock ?? systemClock;
  const log = ports.log ?? (() => undefined);
  // A bad policy fails here, at start-up, before the outbox opens.
  const catalog = createTrackerCatalog(config);
  const policy = catalog.policy;
  const outbox = await recoverOutbox(config.dataDir, clock.now());
  const { db } = outbox;
  const reviewMs = () => policy().reviewMinutes * 60_000, queue = createUploadQueue(db, { reviewMs });
  const shots = createScreenshotsRepository(db);
  const entries = createEntriesRepository(db);
  const health = createStorageHealth(log);
  const timer = createTimer({ entries, clock, onWrite: health });
  const activity = createActivityRepository(db);
  const listeners = new Set<(e: TrackerEvent) => void>();
  const emit = fanOut(listeners);
  const knownProject = (id: string | null) => catalog.findProject(id) !== undefined;
  const idle = createIdleHandling({ db, entries, spans: createIdleSpansRepository(db), knownProject, log, emit });

  for (const e of timer.closeCrashed()) log(`recovered: entry ${e.id} closed at its last heartbeat ${iso(e.endedAt!)}`);
  idle.closeLeftOpen();
  logRecovery(outbox.report, log);

  const worker = startCaptureWorker({ capturer: ports.capturer, dir: outbox.shotsDir, encode: { ...defaultEncodeOptions, ...config.encode } });
  // Warm the worker now so the first capture does not pay for its start-up.
  worker.warm();
  const syncSlot: { port?: SyncPort } = {}; // filled below, once the outbox queue exists; replaced by sign-in and sign-out
  const capture = createCaptureUseCase({
    clock, db, shots, worker, policy, log, emit,
    entryId: () => timer.running()?.id ?? null,
    notifySync: () => syncSlot.port?.notify?.(),
  });
  const scheduler = createCaptureScheduler({ clock, random: ports.random, perSlot: () => policy().screenshotsPerSlot, shoot: () => shootUnlessPaused(ports.capturePaused, capture.captureNow, (why) => emit({ type: 'capture-failed', reason: `capture skipped: ${why}`, at: iso(clock.now()) })) });
  const minutes = createMinuteWriter({ save: (m, entryId) => activity.saveMinute(m, entryId, clock.now()), health });
  const sampler = createActivitySampler({
    clock,
    idle: ports.idle,
    windows: ports.windows,
    tracking: () => timer.running()?.id ?? null,
    idleThresholdMs: () => policy().idleThresholdSeconds * 1000,
    recordTitles: () => policy().recordWindowTitles,
    onMinute(m, entryId) {
      if (!minutes.write(m, entryId)) return;
      log(`activity ${iso(m.minuteStart)} active=${m.activeSeconds}s tracked=${m.trackedSeconds}s`);
      emit({ type: 'activity', minuteStart: iso(m.minuteStart), activeSeconds: m.activeSeconds });
    },
    onIdle: idle.onIdle,
    onError: (err) => log(`activity sampling failed: ${err.message}`),
  });
  syncSlot.port = ports.sync?.({ queue, dataDir: config.dataDir, reviewMs, changed: () => emitStatus() });
  let session: SessionHandlers = offlineSessionHandlers();

  const status = () =>
    computeStatus({ clock, db, timer, entries, activity, sampler, pendingIdle: idle.hasPending, syncStatus: () => syncSlot.port?.status(), lastCaptureError: capture.lastError, storageError: health.error, reviewMinutes: () => policy().reviewMinutes });
  const emitStatus = () => emit({ type: 'status', status: status() });
  const handlers = createTrackerHandlers({ config, clock, db, policy, log, timer, sampler, scheduler, shots, queue, settings: createSettingsRepository(db), loginItem: ports.loginItem ?? unavailableLoginItem('this host has no login items'), idle, sync: () => syncSlot.port, catalog, session: () => session, status, emitStatus });
  const api = Object.fromEntries(trackerMethods.map((m) => [m, (input: unknown) => callHandler(handlers, m, input)])) as unknown as TrackerApi;

  const keepMs = () => policy().keepLocalDays * 86_400_000;
  await sweepDoneFiles(db, clock.now(), keepMs());
  const housekeeping = startHousekeeping({ db, clock, keepMs, log });
  let closed = false;
  sampler.start();
  if (timer.running()) scheduler.start();
  syncSlot.port?.start();

  const disconnectSync = async (next?: CatalogUpdate) => {
    const old = syncSlot.port;
    syncSlot.port = undefined;
    if (next) catalog.update(next);
    if (old) {
      await old.flush?.(FINAL_PUSH_MS);
      await old.stop();
      emitStatus();
    }
  };

  return {
    api,
    handlers,
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    queue,
    recovery: outbox.report,
    captureNow: capture.captureNow,
    useSession(handlers) {
      session = handlers;
    },
    disconnectSync,
    networkHint(online) {
      if (online) syncSlot.port?.networkUp?.();
    },
    async connectSync(make, next, options) {
      await disconnectSync().then(() => catalog.update(next));
      if (options?.localOnly) log(`kept on this device: ${dropUnsentEntryOpsOutside(db, (next.projects ?? []).map((p) => p.id))} entry records of local projects`);
      syncSlot.port = make({ queue, dataDir: config.dataDir, reviewMs, changed: () => emitStatus() });
      syncSlot.port.start();
      emitStatus();
    },
    updateCatalog(next) {
      catalog.update(next);
      emitStatus();
    },
    async shutdown() {
      if (closed) return;
      closed = true;
      scheduler.stop();
      sampler.stop();
      const e = timer.stop('shutdown');
      if (e) log(`timer stopped at shutdown: entry ${e.id}`);
      timer.dispose();
      await housekeeping.stop();
      await capture.drain();
      const sync = syncSlot.port;
      if (sync?.flush) log((await sync.flush(FINAL_PUSH_MS)) ? 'shutdown: the closed entry and the last minute reached the server' : 'shutdown: what is left is sent at the next start');
      await sync?.stop();
      await worker.close();
      // No writer is left: a write the worker never finished must not outlive a clean stop.
      const temps = await removeTempFiles(outbox.shotsDir);
      if (temps) log(`shutdown: removed ${temps} unfinished temp files`);
      checkpoint(db);
      db.close();
    },
  };
}
