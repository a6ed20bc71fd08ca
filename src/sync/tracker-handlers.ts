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
import { autoStartView, type LoginItem } from './settings/login-item';
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
  loginItem: LoginItem;
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
  const settingsView = async () => ({
    policy: d.policy(),
    serverUrl: d.catalog.serverUrl(),
    deviceName: d.settings.get('deviceName') ?? config.deviceName ?? 'this device',
    managed: d.catalog.managed(),
    autoStart: await autoStartView(d.loginItem).catch((err: Error) => ({ available: false, enabled: false, unavailableReason: `the system's login items could not be read: ${err.message}` })),
  });
  const setAutoStart = async (on: boolean) => {
    const forced = d.catalog.managed()?.locks.find((l) => l.field === 'autoStart');
    if (forced && !on) throw new TrackerError('failed_precondition', `Start at login stays on: ${forced.reason}`, [{ path: 'autoStart', message: forced.reason }]);
    if (d.loginItem.unavailableReason !== null) throw new TrackerError('failed_precondition', `Start at login is not available here: ${d.loginItem.unavailableReason}`);
    await d.loginItem.setEnabled(on).catch((err: Error) => {
      throw new TrackerError('unavailable', `Start at login could not be ${on ? 'turned on' : 'turned off'}: ${err.message}`);
    });
    log(`start at login ${on ? 'on' : 'off'}`);
  };
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
    async 'settings.update'({ deviceName, autoStart }) {
      if (autoStart !== undefined) await setAutoStart(autoStart);
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
    ...sessionDelegates(d.session),
  };
}

/** The session's methods, passed to whichever session host is current (signed in or not). */
function sessionDelegates(session: () => SessionHandlers): SessionHandlers {
  return {
    'session.get': (input) => session()['session.get'](input),
    'session.signIn': (input) => session()['session.signIn'](input),
    'session.enroll': (input) => session()['session.enroll'](input),
    'session.signOut': (input) => session()['session.signOut'](input),
    'fleet.list': (input) => session()['fleet.list'](input),
    'manager.members': (input) => session()['manager.members'](input),
    'manager.timeline': (input) => session()['manager.timeline'](input),
    'manager.totals': (input) => session()['manager.totals'](input),
    'manager.now': (input) => session()['manager.now'](input),
    'manager.exportCsv': (input) => session()['manager.exportCsv'](input),
    'manager.fullImage': (input) => session()['manager.fullImage'](input),
  };
}

/** One call through the boundary: validate with the contract's schema, then run the handler. */
export async function callHandler(handlers: TrackerHandlers, method: TrackerMethod, input: unknown): Promise<unknown> {
  const parsed = parseTrackerInput(method, input);
  return (handlers[method] as (i: unknown) => Promise<unknown>)(parsed);
}
