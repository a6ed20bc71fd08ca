import type { TrackerStatus } from '../../shared/tracker-api';
import { activityPercent } from '../../shared/rules/activity-percent';
import type { Clock } from '../clock';
import type { Db } from '../db/open-db';
import { queueCounts } from '../db/queue-counts';
import type { ActivityRepository } from '../activity/activity.repository';
import type { ActivitySampler } from '../activity/activity-sampler';
import { SLOT_MS } from '../capture/scheduler';
import type { EntriesRepository } from '../timer/entries.repository';
import type { Timer } from '../timer/timer';
import { weekStartMs } from './week-start';

const iso = (ms: number) => new Date(ms).toISOString();

export interface StatusDeps {
  clock: Clock;
  db: Db;
  timer: Timer;
  entries: EntriesRepository;
  activity: ActivityRepository;
  sampler: Pick<ActivitySampler, 'current' | 'idleMs'>;
  pendingIdle(): boolean;
  /** The sync port's status; undefined when the tracker runs without sync (signed out). */
  syncStatus(): TrackerStatus['sync'] | undefined;
  lastCaptureError(): string | null;
  /** Why the outbox could not be written lately (disk full), null when it can. */
  storageError(): string | null;
  /** Why IT's policy file was not applied (see src/sync/policy). */
  policyError?(): string | null;
  /** Minutes a new screenshot waits on the device for review (policy reviewMinutes). */
  reviewMinutes(): number;
}

/** Screenshots still inside the review window: captured, not yet handed to the uploader. */
export function countInReview(db: Db, now: number, reviewMinutes: number): number {
  if (reviewMinutes <= 0) return 0;
  return db
    .prepare(`SELECT count(*) FROM screenshots WHERE state = 'captured' AND taken_at > ?`)
    .pluck()
    .get(now - reviewMinutes * 60_000) as number;
}

/** What status.get answers: the running entry, today's total, this slot's activity, idle, queue and sync. */
export function computeStatus(d: StatusDeps): TrackerStatus {
  const now = d.clock.now();
  const running = d.timer.running();
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  let percent: number | null = null;
  if (running) {
    const slot = Math.floor(now / SLOT_MS) * SLOT_MS;
    const sums = d.activity.sums(slot, now);
    const cur = d.sampler.current();
    const active = sums.active + (cur && cur.minuteStart >= slot ? cur.activeSeconds : 0);
    const tracked = sums.tracked + (cur && cur.minuteStart >= slot ? cur.trackedSeconds : 0);
    percent = activityPercent(active, tracked);
  }
  return {
    running: running && { id: running.id, projectId: running.projectId, taskId: running.taskId, startedAt: iso(running.startedAt) },
    todaySeconds: Math.floor(d.entries.trackedMs(day.getTime(), now) / 1000),
    weekSeconds: Math.floor(d.entries.trackedMs(weekStartMs(now), now) / 1000),
    inReview: countInReview(d.db, now, d.reviewMinutes()),
    activityPercent: percent,
    idleSeconds: Math.floor(d.sampler.idleMs() / 1000),
    pendingIdle: d.pendingIdle(),
    queue: queueCounts(d.db, now),
    sync: d.syncStatus() ?? { state: 'signed-out', lastSuccessAt: null, lastError: null },
    lastCaptureError: d.lastCaptureError(),
    storageError: d.storageError(),
    policyError: d.policyError?.() ?? null,
  };
}
