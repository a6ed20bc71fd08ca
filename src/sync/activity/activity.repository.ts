import type { Db } from '../db/open-db';
import { appendOp } from '../db/ops.repository';
import { newId } from '../../shared/ids';
import type { MinuteActivity } from './minute-accumulator';

const iso = (ms: number) => new Date(ms).toISOString();

/** Per-minute activity rows; each saved minute also becomes an activity.minute op. */
export function createActivityRepository(db: Db) {
  return {
    saveMinute(m: MinuteActivity, entryId: string | null, now: number): void {
      db.transaction(() => {
        // A restart inside a minute adds to the row already there (capped at 60 s).
        const prev = db
          .prepare(`SELECT id, active_seconds, tracked_seconds FROM activity_minutes WHERE minute_start = ?`)
          .get(m.minuteStart) as { id: string; active_seconds: number; tracked_seconds: number } | undefined;
        const id = prev?.id ?? newId(m.minuteStart);
        const active = Math.min(60, m.activeSeconds + (prev?.active_seconds ?? 0));
        const tracked = Math.min(60, m.trackedSeconds + (prev?.tracked_seconds ?? 0));
        db.prepare(
          `INSERT INTO activity_minutes (id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (minute_start) DO UPDATE SET active_seconds = excluded.active_seconds,
             tracked_seconds = excluded.tracked_seconds, apps = excluded.apps, entry_id = coalesce(excluded.entry_id, entry_id)`,
        ).run(id, entryId, m.minuteStart, active, tracked, JSON.stringify(m.apps));
        appendOp(
          db,
          {
            id: newId(now),
            kind: 'activity.minute',
            minute: {
              id,
              entryId,
              minuteStart: iso(m.minuteStart),
              activeSeconds: Math.min(active, tracked),
              trackedSeconds: tracked,
              apps: m.apps.map((a) => ({ ...a, app: a.app.slice(0, 200), ...(a.title ? { title: a.title.slice(0, 500) } : {}) })),
            },
          },
          now,
        );
      })();
    },
    /** Active and tracked seconds of stored minutes in [from, to). */
    sums(from: number, to: number): { active: number; tracked: number } {
      return db
        .prepare(
          `SELECT coalesce(sum(active_seconds), 0) AS active, coalesce(sum(tracked_seconds), 0) AS tracked
           FROM activity_minutes WHERE minute_start >= ? AND minute_start < ?`,
        )
        .get(from, to) as { active: number; tracked: number };
    },
    minutes(from: number, to: number) {
      return db
        .prepare(`SELECT * FROM activity_minutes WHERE minute_start >= ? AND minute_start < ? ORDER BY minute_start`)
        .all(from, to) as Array<{ id: string; minute_start: number; active_seconds: number; tracked_seconds: number; apps: string }>;
    },
  };
}
export type ActivityRepository = ReturnType<typeof createActivityRepository>;
