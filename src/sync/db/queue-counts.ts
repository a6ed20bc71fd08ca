import type { Db } from './open-db';

export interface QueueCounts {
  screenshots: number;
  ops: number;
  dead: number;
  bytesPending: number;
  oldestUnsyncedSeconds: number | null;
}

/**
 * What status shows about the outbox: pending work, dead letters, the oldest unconfirmed record.
 * Counts come from queue_totals (kept by triggers), the oldest from one index seek per state.
 */
export function queueCounts(db: Db, now: number): QueueCounts {
  const totals = db.prepare(`SELECT kind, state, n, bytes FROM queue_totals`).all() as Array<{ kind: string; state: string; n: number; bytes: number }>;
  const total = (kind: string, states: string[], field: 'n' | 'bytes' = 'n') =>
    totals.filter((t) => t.kind === kind && states.includes(t.state)).reduce((a, t) => a + t[field], 0);
  const oldest = db
    .prepare(
      `SELECT min(t) FROM (
         SELECT (SELECT min(taken_at) FROM screenshots WHERE state = 'captured') AS t
         UNION ALL SELECT (SELECT min(taken_at) FROM screenshots WHERE state = 'uploading')
         UNION ALL SELECT (SELECT min(created_at) FROM ops WHERE state = 'pending')
         UNION ALL SELECT (SELECT min(created_at) FROM ops WHERE state = 'sending'))`,
    )
    .pluck()
    .get() as number | null;
  return {
    screenshots: total('screenshot', ['captured', 'uploading']),
    ops: total('op', ['pending', 'sending']),
    dead: total('screenshot', ['dead']) + total('op', ['dead']),
    bytesPending: total('screenshot', ['captured', 'uploading'], 'bytes'),
    oldestUnsyncedSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
  };
}

export interface DeadLetter {
  id: string;
  kind: 'screenshot' | 'op';
  reason: string;
  attempts: number;
  failedAt: number;
}

export function deadLetters(db: Db): DeadLetter[] {
  return db
    .prepare(
      `SELECT id, 'screenshot' AS kind, coalesce(last_error, '') AS reason, attempts, coalesce(failed_at, 0) AS failedAt
         FROM screenshots WHERE state = 'dead'
       UNION ALL
       SELECT id, 'op' AS kind, coalesce(last_error, '') AS reason, attempts, coalesce(failed_at, 0) AS failedAt
         FROM ops WHERE state = 'dead'
       ORDER BY failedAt DESC LIMIT 200`,
    )
    .all() as DeadLetter[];
}
