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

export interface IdleSpan {
  id: string;
  entryId: string | null;
  startedAt: number;
  endedAt: number | null;
  decision: 'keep' | 'discard' | 'assign' | null;
}

export function createIdleSpansRepository(db: Db) {
  const map = (r: { id: string; entry_id: string | null; started_at: number; ended_at: number | null; decision: IdleSpan['decision'] }): IdleSpan => ({
    id: r.id,
    entryId: r.entry_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    decision: r.decision,
  });
  return {
    open(entryId: string | null, startedAt: number): IdleSpan {
      const span: IdleSpan = { id: newId(startedAt), entryId, startedAt, endedAt: null, decision: null };
      db.prepare(`INSERT INTO idle_spans (id, entry_id, started_at) VALUES (?, ?, ?)`).run(span.id, entryId, startedAt);
      return span;
    },
    close(id: string, endedAt: number): void {
      db.prepare(`UPDATE idle_spans SET ended_at = ? WHERE id = ? AND ended_at IS NULL`).run(endedAt, id);
    },
    get(id: string): IdleSpan | null {
      const r = db.prepare(`SELECT * FROM idle_spans WHERE id = ?`).get(id);
      return r ? map(r as Parameters<typeof map>[0]) : null;
    },
    pending(): IdleSpan[] {
      return (db.prepare(`SELECT * FROM idle_spans WHERE decision IS NULL ORDER BY started_at`).all() as Parameters<typeof map>[0][]).map(map);
    },
    decide(id: string, decision: 'keep' | 'discard' | 'assign', endedAt: number, now: number): void {
      db.prepare(`UPDATE idle_spans SET decision = ?, ended_at = coalesce(ended_at, ?), decided_at = ? WHERE id = ?`).run(
        decision,
        endedAt,
        now,
        id,
      );
    },
  };
}
export type IdleSpansRepository = ReturnType<typeof createIdleSpansRepository>;
