import { readFile, unlink } from 'node:fs/promises';
import { capturePolicySchema, type CapturePolicy } from '../shared/policy';
import {
  parseTrackerInput,
  TrackerError,
  trackerMethods,
  type TrackerApi,
  type TrackerEvent,
  type TrackerHandlers,
  type TrackerMethod,
  type TrackerStatus,
} from '../shared/tracker-api';
import { systemClock } from './clock';
import { openOutbox, sweepDoneFiles } from './recovery/recover';
import { startHousekeeping } from './recovery/housekeeping';
import { checkpoint } from './db/open-db';
import { createUploadQueue } from './db/upload-queue';
import { createScreenshotsRepository } from './db/screenshots.repository';
import { appendOp } from './db/ops.repository';
import { deadLetters, queueCounts } from './db/queue-counts';
import { newId } from '../shared/ids';
import { createEntriesRepository } from './timer/entries.repository';
import { createTimer } from './timer/timer';
import { applyIdleDecision } from './timer/idle-decision';
import { createActivityRepository, createIdleSpansRepository } from './activity/activity.repository';
import { createActivitySampler } from './activity/activity-sampler';
import { startCaptureWorker } from './capture/capture-worker-client';
import { createCaptureScheduler, SLOT_MS } from './capture/scheduler';
import { defaultEncodeOptions } from './capture/encoder';
import { faultPoint } from './test-hooks/fault-point';

export type { SyncStatus, SyncPort, TrackerPorts, Project, TrackerConfig, Tracker } from './tracker-types';
import type { SyncPort, Tracker, TrackerConfig, TrackerPorts } from './tracker-types';

const iso = (ms: number) => new Date(ms).toISOString();

export async function createTracker(ports: TrackerPorts, config: TrackerConfig): Promise<Tracker> {
  const clock = ports.clock ?? systemClock;
  const log = ports.log ?? (() => undefined);
  // Parsed once: a bad policy fails at start-up, and no capture, tick or status pays for zod again.
  const parsedPolicy = capturePolicySchema.parse({ ...config.policy });
  const outbox = await openOutbox(config.dataDir, clock.now());
  const { db } = outbox;
  const policy = (): CapturePolicy => parsedPolicy;
  const settings = {
    get: (k: string) => db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(k) as string | undefined,
    set: (k: string, v: string) =>
      db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(k, v),
  };
  const queue = createUploadQueue(db);
  const shots = createScreenshotsRepository(db);
  const entries = createEntriesRepository(db);
  const timer = createTimer({ entries, clock });
  const activity = createActivityRepository(db);
  const spans = createIdleSpansRepository(db);
  const listeners = new Set<(e: TrackerEvent) => void>();
  const emit = (e: TrackerEvent) => listeners.forEach((l) => {
    try {
      l(e);
    } catch {
      /* a listener's failure is its own */
    }
  });
  let lastCaptureError: string | null = null;
  let openSpanId: string | null = null;
  // A span decided while still open ends at the decision; idle time after it is a new span.
  let idleNotBefore = -Infinity;

  for (const e of timer.closeCrashed()) log(`recovered: entry ${e.id} closed at its last heartbeat ${iso(e.endedAt!)}`);
  // A span a previous run left open lasted until that run's entry ended (its last heartbeat).
  for (const s of spans.pending()) {
    if (s.endedAt !== null) continue;
    const ended = s.entryId ? entries.get(s.entryId)?.endedAt : null;
    spans.close(s.id, Math.max(s.startedAt, ended ?? s.startedAt));
  }
  const r = outbox.report;
  if (r.corruptMovedTo) log(`recovered: corrupt outbox moved to ${r.corruptMovedTo}, rebuilt from files`);
  if (r.orphansAdopted || r.tempFilesRemoved || r.leasesReleased || r.missingFiles || r.unreadableFiles)
    log(`recovered: ${r.orphansAdopted} orphan files adopted, ${r.tempFilesRemoved} temp files removed, ${r.leasesReleased} leases released, ${r.missingFiles} missing files, ${r.unreadableFiles} unreadable files kept aside`);

  const worker = startCaptureWorker({
    capturer: ports.capturer,
    dir: outbox.shotsDir,
    encode: { ...defaultEncodeOptions, ...config.encode },
  });
  // Warm the worker now so the first capture does not pay for its start-up.
  worker.warm();
  let inflight: Promise<unknown> = Promise.resolve();
  const syncRef: { port?: SyncPort } = {}; // filled below, once the outbox queue exists

  const captureAt = async (at: number): Promise<number> => {
    const entryId = timer.running()?.id ?? null;
    try {
      const files = await worker.shoot(at, { blur: policy().blurScreenshots });
      faultPoint('after-rename');
      db.transaction(() => files.forEach((f) => shots.insert({ ...f, entryId })))();
      faultPoint('after-insert');
      syncRef.port?.notify?.();
      lastCaptureError = null;
      for (const f of files) {
        log(`capture ${f.id} display=${f.displayId} ${f.width}x${f.height} ${Math.round(f.bytes / 1024)} KB`);
        const { id, takenAt, displayId, width, height } = f;
        emit({
          type: 'capture',
          screenshot: { id, takenAt: iso(takenAt), displayId, width, height, state: 'captured', deletableUntil: iso(takenAt + policy().screenshotDeleteGraceSeconds * 1000) },
        });
      }
      return files.length;
    } catch (err) {
      lastCaptureError = err instanceof Error ? err.message : String(err);
      log(`capture failed: ${lastCaptureError}`);
      emit({ type: 'capture-failed', reason: lastCaptureError, at: iso(clock.now()) });
      return 0;
    }
  };
  const captureNow = () => {
    const p = inflight.then(() => captureAt(clock.now()));
    inflight = p.catch(() => undefined);
    return p;
  };

  const scheduler = createCaptureScheduler({
    clock,
    random: ports.random,
    perSlot: () => policy().screenshotsPerSlot,
    shoot: () => void captureNow(),
  });

  const sampler = createActivitySampler({
    clock,
    idle: ports.idle,
    windows: ports.windows,
    tracking: () => timer.running()?.id ?? null,
    idleThresholdMs: () => policy().idleThresholdSeconds * 1000,
    recordTitles: () => policy().recordWindowTitles,
    onMinute(m, entryId) {
      activity.saveMinute(m, entryId, clock.now());
      log(`activity ${iso(m.minuteStart)} active=${m.activeSeconds}s tracked=${m.trackedSeconds}s`);
      emit({ type: 'activity', minuteStart: iso(m.minuteStart), activeSeconds: m.activeSeconds });
    },
    onIdle(t, entryId) {
      if (t.type === 'opened') {
        // Input may have stopped before the timer started: the span never reaches before the entry.
        const entryStart = entryId ? entries.get(entryId)?.startedAt : undefined;
        const span = spans.open(entryId, Math.max(t.startedAt, entryStart ?? t.startedAt, idleNotBefore));
        openSpanId = span.id;
        log(`idle since ${iso(span.startedAt)}: waiting for a keep/discard decision`);
        emit({ type: 'idle', span: { id: span.id, entryId, startedAt: iso(span.startedAt), endedAt: null } });
      } else if (openSpanId) {
        spans.close(openSpanId, t.endedAt);
        const span = spans.get(openSpanId)!;
        openSpanId = null;
        emit({ type: 'idle', span: { id: span.id, entryId: span.entryId, startedAt: iso(span.startedAt), endedAt: iso(span.endedAt ?? t.endedAt) } });
      }
    },
    onError(err) {
      log(`activity sampling failed: ${err.message}`);
    },
  });

  const sync = ports.sync?.({ queue, dataDir: config.dataDir });
  syncRef.port = sync;

  const status = (): TrackerStatus => {
    const now = clock.now();
    const running = timer.running();
    const day = new Date(now);
    day.setHours(0, 0, 0, 0);
    let activityPercent: number | null = null;
    if (running) {
      const slot = Math.floor(now / SLOT_MS) * SLOT_MS;
      const sums = activity.sums(slot, now);
      const cur = sampler.current();
      const active = sums.active + (cur && cur.minuteStart >= slot ? cur.activeSeconds : 0);
      const tracked = sums.tracked + (cur && cur.minuteStart >= slot ? cur.trackedSeconds : 0);
      activityPercent = tracked > 0 ? Math.min(100, Math.round((active / tracked) * 100)) : 0;
    }
    return {
      running: running && { id: running.id, projectId: running.projectId, taskId: running.taskId, startedAt: iso(running.startedAt) },
      todaySeconds: Math.floor(entries.trackedMs(day.getTime(), now) / 1000),
      activityPercent,
      idleSeconds: Math.floor(sampler.idleMs() / 1000),
      pendingIdle: spans.pending().length > 0,
      queue: queueCounts(db, now),
      sync: sync?.status() ?? { state: 'signed-out', lastSuccessAt: null, lastError: null },
      lastCaptureError,
    };
  };
  const emitStatus = () => emit({ type: 'status', status: status() });

  const settingsView = () => ({
    policy: policy(),
    serverUrl: config.serverUrl ?? null,
    deviceName: settings.get('deviceName') ?? config.deviceName ?? 'this device',
  });

  const handlers: TrackerHandlers = {
    async 'timer.start'({ projectId, taskId }) {
      const project = config.projects.find((p) => p.id === projectId);
      if (!project) throw new TrackerError('not_found', `unknown project ${projectId}`);
      if (taskId !== null && !project.tasks.some((t) => t.id === taskId))
        throw new TrackerError('not_found', `project ${projectId} has no task ${taskId}`);
      if (timer.running()) sampler.flushMinute();
      const e = timer.start(projectId, taskId);
      log(`timer started: entry ${e.id} on project ${project.name}`);
      scheduler.start();
      emitStatus();
      return status();
    },
    async 'timer.stop'() {
      sampler.flushMinute();
      const e = timer.stop('user');
      scheduler.stop();
      if (e) log(`timer stopped: entry ${e.id}`);
      emitStatus();
      return status();
    },
    async 'status.get'() {
      return status();
    },
    async 'projects.list'() {
      return config.projects;
    },
    async 'screenshots.recent'({ limit }) {
      const grace = policy().screenshotDeleteGraceSeconds * 1000;
      return Promise.all(
        shots.recent(limit).map(async (s) => ({
          id: s.id,
          takenAt: iso(s.takenAt),
          displayId: s.displayId,
          width: s.width,
          height: s.height,
          state: s.state,
          thumbnailDataUrl: s.thumbPath
            ? await readFile(s.thumbPath).then((b) => `data:${s.contentType};base64,${b.toString('base64')}`, () => null)
            : null,
          deletableUntil: iso(s.takenAt + grace),
        })),
      );
    },
    async 'screenshots.delete'({ id }) {
      const now = clock.now();
      const s = shots.get(id);
      if (!s) throw new TrackerError('not_found', `no screenshot ${id}`);
      const until = s.takenAt + policy().screenshotDeleteGraceSeconds * 1000;
      if (now > until) throw new TrackerError('failed_precondition', `the delete window of screenshot ${id} closed at ${iso(until)}`);
      db.transaction(() => {
        shots.remove(id);
        appendOp(db, { id: newId(now), kind: 'screenshot.delete', screenshotId: id, deletedAt: iso(now) }, now);
      })();
      await unlink(s.filePath).catch(() => undefined);
      if (s.thumbPath) await unlink(s.thumbPath).catch(() => undefined);
      log(`screenshot ${id} deleted by the user`);
      emitStatus();
      return { ok: true as const };
    },
    async 'idle.pending'() {
      return spans.pending().map((s) => ({ id: s.id, entryId: s.entryId, startedAt: iso(s.startedAt), endedAt: s.endedAt === null ? null : iso(s.endedAt) }));
    },
    async 'idle.decide'({ spanId, decision, projectId, taskId }) {
      const span = spans.get(spanId);
      if (!span) throw new TrackerError('not_found', `no idle span ${spanId}`);
      if (span.decision) throw new TrackerError('failed_precondition', `idle span ${spanId} was already decided (${span.decision})`);
      if (decision === 'assign' && !config.projects.some((p) => p.id === projectId))
        throw new TrackerError('not_found', `unknown project ${projectId}`);
      sampler.flushMinute();
      const now = clock.now();
      applyIdleDecision(db, entries, spans, span, { decision, projectId, taskId }, now);
      if (span.id === openSpanId) {
        // Decided before the user came back: if the idling goes on, it opens a new span from now.
        openSpanId = null;
        idleNotBefore = now;
        sampler.resetIdle();
      }
      timer.resume();
      log(`idle span ${spanId}: ${decision}`);
      emitStatus();
      return status();
    },
    async 'settings.get'() {
      return settingsView();
    },
    async 'settings.update'({ deviceName }) {
      if (deviceName !== undefined) settings.set('deviceName', deviceName);
      return settingsView();
    },
    async 'sync.deadLetters'() {
      return deadLetters(db).map((d) => ({ ...d, failedAt: iso(d.failedAt) }));
    },
    async 'sync.retry'({ id }) {
      const n = queue.requeueDead(id, clock.now());
      if (id !== undefined && n === 0) throw new TrackerError('not_found', `no dead letter ${id}`);
      sync?.retry?.(id);
      return { ok: true as const };
    },
  };

  const api = Object.fromEntries(
    trackerMethods.map((m) => [m, (input: unknown) => callHandler(handlers, m, input)]),
  ) as unknown as TrackerApi;

  const keepMs = () => policy().keepLocalDays * 86_400_000;
  await sweepDoneFiles(db, clock.now(), keepMs());
  const housekeeping = startHousekeeping({ db, clock, keepMs, log });
  let closed = false;
  sampler.start();
  if (timer.running()) scheduler.start();
  sync?.start();

  return {
    api,
    handlers,
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    queue,
    recovery: outbox.report,
    captureNow,
    async shutdown() {
      if (closed) return;
      closed = true;
      scheduler.stop();
      sampler.stop();
      const e = timer.stop('shutdown');
      if (e) log(`timer stopped at shutdown: entry ${e.id}`);
      timer.dispose();
      await housekeeping.stop();
      await inflight;
      await sync?.stop();
      await worker.close();
      checkpoint(db);
      db.close();
    },
  };
}

/** One call through the boundary: validate with the contract's schema, then run the handler. */
export async function callHandler(handlers: TrackerHandlers, method: TrackerMethod, input: unknown): Promise<unknown> {
  const parsed = parseTrackerInput(method, input);
  return (handlers[method] as (i: unknown) => Promise<unknown>)(parsed);
}
