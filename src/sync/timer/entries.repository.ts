import type { Db } from '../db/open-db';
import { appendOp } from '../db/ops.repository';
import { newId } from '../../shared/ids';

export type StopReason = 'user' | 'idle' | 'crash' | 'shutdown';

export interface Entry {
  id: string;
  projectId: string;
  taskId: string | null;
  startedAt: number;
  endedAt: number | null;
  heartbeatAt: number;
  stopReason: StopReason | null;
}

interface Row {
  id: string;
  project_id: string;
  task_id: string | null;
  started_at: number;
  ended_at: number | null;
  heartbeat_at: number;
  stop_reason: StopReason | null;
}

const fromRow = (r: Row): Entry => ({
  id: r.id,
  projectId: r.project_id,
  taskId: r.task_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  heartbeatAt: r.heartbeat_at,
  stopReason: r.stop_reason,
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Time entries. Every change commits together with the entry.upsert op the server must learn. */
export function createEntriesRepository(db: Db) {
  const pushUpsert = (e: Entry, now: number) =>
    appendOp(
      db,
      {
        id: newId(now),
        kind: 'entry.upsert',
        entry: {
          id: e.id,
          projectId: e.projectId,
          taskId: e.taskId,
          startedAt: iso(e.startedAt),
          endedAt: e.endedAt === null ? null : iso(e.endedAt),
          stopReason: e.stopReason,
        },
      },
      now,
    );

  const repo = {
    open(): Entry | null {
      const r = db.prepare(`SELECT * FROM entries WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`).get() as Row | undefined;
      return r ? fromRow(r) : null;
    },
    allOpen(): Entry[] {
      return (db.prepare(`SELECT * FROM entries WHERE ended_at IS NULL`).all() as Row[]).map(fromRow);
    },
    get(id: string): Entry | null {
      const r = db.prepare(`SELECT * FROM entries WHERE id = ?`).get(id) as Row | undefined;
      return r ? fromRow(r) : null;
    },
    start(projectId: string, taskId: string | null, startedAt: number, now: number): Entry {
      return db.transaction(() => {
        const e: Entry = { id: newId(startedAt), projectId, taskId, startedAt, endedAt: null, heartbeatAt: now, stopReason: null };
        db.prepare(
          `INSERT INTO entries (id, project_id, task_id, started_at, ended_at, heartbeat_at, stop_reason)
           VALUES (?, ?, ?, ?, NULL, ?, NULL)`,
        ).run(e.id, projectId, taskId, startedAt, now);
        pushUpsert(e, now);
        return e;
      })();
    },
    /** Ends an entry at `endedAt` (never before it started). */
    end(id: string, endedAt: number, reason: StopReason, now: number): Entry | null {
      return db.transaction(() => {
        const cur = repo.get(id);
        if (!cur || cur.endedAt !== null) return null;
        const e: Entry = { ...cur, endedAt: Math.max(cur.startedAt, endedAt), stopReason: reason };
        db.prepare(`UPDATE entries SET ended_at = ?, stop_reason = ?, heartbeat_at = ? WHERE id = ?`).run(
          e.endedAt,
          reason,
          Math.max(cur.heartbeatAt, e.endedAt!),
          id,
        );
        pushUpsert(e, now);
        return e;
      })();
    },
    /** Moves an entry's end (open or not) to `endedAt`, never before its start. */
    setEnd(id: string, endedAt: number, reason: StopReason, now: number): Entry | null {
      const cur = repo.get(id);
      if (!cur) return null;
      const e: Entry = { ...cur, endedAt: Math.max(cur.startedAt, endedAt), stopReason: reason };
      db.prepare(`UPDATE entries SET ended_at = ?, stop_reason = ? WHERE id = ?`).run(e.endedAt, reason, id);
      pushUpsert(e, now);
      return e;
    },
    /** A whole, already finished entry (idle time assigned elsewhere). */
    insertClosed(projectId: string, taskId: string | null, startedAt: number, endedAt: number, now: number): Entry {
      return db.transaction(() => {
        const e: Entry = { id: newId(startedAt), projectId, taskId, startedAt, endedAt, heartbeatAt: endedAt, stopReason: 'user' };
        db.prepare(
          `INSERT INTO entries (id, project_id, task_id, started_at, ended_at, heartbeat_at, stop_reason)
           VALUES (?, ?, ?, ?, ?, ?, 'user')`,
        ).run(e.id, projectId, taskId, startedAt, endedAt, endedAt);
        pushUpsert(e, now);
        return e;
      })();
    },
    heartbeat(id: string, at: number): void {
      db.prepare(`UPDATE entries SET heartbeat_at = max(heartbeat_at, ?) WHERE id = ? AND ended_at IS NULL`).run(at, id);
    },
    /** Tracked milliseconds within [from, to): open entries count up to `to`. */
    trackedMs(from: number, to: number): number {
      return db
        .prepare(
          `SELECT coalesce(sum(max(0, min(coalesce(ended_at, @to), @to) - max(started_at, @from))), 0)
           FROM entries WHERE started_at < @to AND (ended_at IS NULL OR ended_at > @from)`,
        )
        .pluck()
        .get({ from, to }) as number;
    },
  };
  return repo;
}
export type EntriesRepository = ReturnType<typeof createEntriesRepository>;
