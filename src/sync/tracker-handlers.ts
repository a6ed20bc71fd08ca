import { readFile, unlink } from 'node:fs/promises';
import type { CapturePolicy } from '../shared/policy';
import { parseTrackerInput, TrackerError, type TrackerHandlers, type TrackerMethod, type TrackerStatus } from '../shared/tracker-api';
import { newId } from '../shared/ids';
import type { Clock } from './clock';
import type { Db } from './db/open-db';
import { appendOp } from './db/ops.repository';
import { deadLetters } from './db/queue-counts';
import type { ScreenshotsRepository } from './db/screenshots.repository';
import type { UploadQueue } from './db/outbox-port';
import type { ActivitySampler } from './activity/activity-sampler';
import type { CaptureScheduler } from './capture/scheduler';
import { deletableUntilMs } from './capture/delete-window';
import { screenshotImage } from './capture/screenshot-image';
import type { SessionHandlers } from './tracker-types';
import type { TrackerCatalog } from './catalog/tracker-catalog';
import type { IdleHandling } from './idle/idle-handling';
import type { SettingsRepository } from './settings/settings.repository';
import type { Timer } from './timer/timer';
import type { SyncPort, TrackerConfig } from './tracker-types';

const iso = (ms: number) => new Date(ms).toISOString();

export interface HandlerDeps {
  config: TrackerConfig;
  clock: Clock;
  db: Db;
  policy(): CapturePolicy;
  log(line: string): void;
  timer: Timer;
  sampler: ActivitySampler;
  scheduler: CaptureScheduler;
  shots: ScreenshotsRepository;
  queue: UploadQueue;
  settings: SettingsRepository;
  idle: IdleHandling;
  sync(): SyncPort | undefined;
  catalog: TrackerCatalog;
  session(): SessionHandlers;
  status(): TrackerStatus;
  emitStatus(): void;
}

/** The TrackerApi methods of the core, each over parsed input (see callHandler). */
export function createTrackerHandlers(d: HandlerDeps): TrackerHandlers {
  const { config, clock, db, log, timer, sampler, scheduler, shots } = d;
  const settingsView = () => ({
    policy: d.policy(),
    serverUrl: d.catalog.serverUrl(),
    deviceName: d.settings.get('deviceName') ?? config.deviceName ?? 'this device',
  });
  return {
    async 'timer.start'({ projectId, taskId }) {
      const project = d.catalog.findProject(projectId);
      if (!project) throw new TrackerError('not_found', `unknown project ${projectId}`);
      if (taskId !== null && !project.tasks.some((t) => t.id === taskId))
        throw new TrackerError('not_found', `project ${projectId} has no task ${taskId}`);
      if (timer.running()) sampler.flushMinute();
      const e = timer.start(projectId, taskId);
      log(`timer started: entry ${e.id} on project ${project.name}`);
      scheduler.start();
      d.emitStatus();
      return d.status();
    },
    async 'timer.stop'() {
      sampler.flushMinute();
      const e = timer.stop('user');
      scheduler.stop();
      if (e) log(`timer stopped: entry ${e.id}`);
      d.emitStatus();
      return d.status();
    },
    async 'status.get'() {
      return d.status();
    },
    async 'projects.list'() {
      return d.catalog.projects();
    },
    async 'screenshots.recent'({ limit }) {
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
          deletableUntil: iso(deletableUntilMs(s.takenAt, d.policy())),
        })),
      );
    },
    async 'screenshots.image'({ id }) {
      return screenshotImage(shots, id);
    },
    async 'screenshots.delete'({ id }) {
      const now = clock.now();
      const s = shots.get(id);
      if (!s) throw new TrackerError('not_found', `no screenshot ${id}`);
      const until = deletableUntilMs(s.takenAt, d.policy());
      if (now > until) throw new TrackerError('failed_precondition', `the delete window of screenshot ${id} closed at ${iso(until)}`);
      db.transaction(() => {
        shots.remove(id);
        appendOp(db, { id: newId(now), kind: 'screenshot.delete', screenshotId: id, deletedAt: iso(now) }, now);
      })();
      await unlink(s.filePath).catch(() => undefined);
      if (s.thumbPath) await unlink(s.thumbPath).catch(() => undefined);
      log(`screenshot ${id} deleted by the user`);
      d.emitStatus();
      return { ok: true as const };
    },
    async 'idle.pending'() {
      return d.idle.pending();
    },
    async 'idle.decide'(input) {
      const span = d.idle.spanToDecide(input);
      sampler.flushMinute();
      if (d.idle.decide(span, input, clock.now())) sampler.resetIdle();
      timer.resume();
      d.emitStatus();
      return d.status();
    },
    async 'settings.get'() {
      return settingsView();
    },
    async 'settings.update'({ deviceName }) {
      if (deviceName !== undefined) d.settings.set('deviceName', deviceName);
      return settingsView();
    },
    async 'sync.deadLetters'() {
      return deadLetters(db).map((x) => ({ ...x, failedAt: iso(x.failedAt) }));
    },
    async 'sync.retry'({ id }) {
      const n = d.queue.requeueDead(id, clock.now());
      if (id !== undefined && n === 0) throw new TrackerError('not_found', `no dead letter ${id}`);
      d.sync()?.retry?.(id);
      return { ok: true as const };
    },
    'session.get': (input) => d.session()['session.get'](input),
    'session.signIn': (input) => d.session()['session.signIn'](input),
    'session.enroll': (input) => d.session()['session.enroll'](input),
    'session.signOut': (input) => d.session()['session.signOut'](input),
    'manager.members': (input) => d.session()['manager.members'](input),
    'manager.timeline': (input) => d.session()['manager.timeline'](input),
    'manager.totals': (input) => d.session()['manager.totals'](input),
    'manager.now': (input) => d.session()['manager.now'](input),
    'manager.exportCsv': (input) => d.session()['manager.exportCsv'](input),
    'manager.fullImage': (input) => d.session()['manager.fullImage'](input),
  };
}

/** One call through the boundary: validate with the contract's schema, then run the handler. */
export async function callHandler(handlers: TrackerHandlers, method: TrackerMethod, input: unknown): Promise<unknown> {
  const parsed = parseTrackerInput(method, input);
  return (handlers[method] as (i: unknown) => Promise<unknown>)(parsed);
}
