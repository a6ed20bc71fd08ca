import type { Db } from './open-db';

export interface QueueCounts {
  screenshots: number;
  ops: number;
  dead: number;
  bytesPending: number;
  oldestUnsyncedSeconds: number | null;
}

/** What status shows about the outbox: pending work, dead letters, the oldest unconfirmed record. */
export function queueCounts(db: Db, now: number): QueueCounts {
  const s = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b, min(taken_at) AS oldest
       FROM screenshots WHERE state IN ('captured', 'uploading')`,
    )
    .get() as { n: number; b: number; oldest: number | null };
  const o = db
    .prepare(`SELECT count(*) AS n, min(created_at) AS oldest FROM ops WHERE state IN ('pending', 'sending')`)
    .get() as { n: number; oldest: number | null };
  const dead =
    (db.prepare(`SELECT count(*) FROM screenshots WHERE state = 'dead'`).pluck().get() as number) +
    (db.prepare(`SELECT count(*) FROM ops WHERE state = 'dead'`).pluck().get() as number);
  const oldest = [s.oldest, o.oldest].filter((x): x is number => x !== null);
  return {
    screenshots: s.n,
    ops: o.n,
    dead,
    bytesPending: s.b,
    oldestUnsyncedSeconds: oldest.length ? Math.max(0, Math.round((now - Math.min(...oldest)) / 1000)) : null,
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
