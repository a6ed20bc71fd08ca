import type { OpJob, ScreenshotJob, UploadQueue } from './outbox-port';
import { syncOpSchema } from '../../shared/http/push';
import type { Db } from './open-db';
import { fromRow, type ScreenshotRow } from './screenshots.repository';

interface OpRow {
  seq: number;
  id: string;
  payload: string;
  attempts: number;
}

const toScreenshotJob = (r: ScreenshotRow): ScreenshotJob => {
  const { thumbPath: _thumb, state: _state, lastError: _error, doneAt: _done, ...job } = fromRow(r);
  return job;
};

export interface UploadQueueOptions {
  /**
   * The policy's pre-upload review window (reviewMinutes) in ms, read at every claim: a screenshot
   * is not claimed until it is that old, so the employee can delete it before any upload.
   */
  reviewMs?: () => number;
}

/**
 * The outbox as the sync engine sees it. Claiming is one UPDATE ... RETURNING that sets a
 * lease and moves the row's next_attempt_at to the lease's end: a leased row is therefore not
 * due until its lease expires (its holder died), when it is claimable again with no sweeper,
 * and live leases sit at the back of the index instead of being scanned past on every claim.
 */
export function createUploadQueue(db: Db, options: UploadQueueOptions = {}): UploadQueue {
  const reviewMs = options.reviewMs ?? (() => 0);
  // A screenshot in review is due but not claimable: it is scanned past (an hour's worth at most).
  const claimShots = db.prepare(
    `UPDATE screenshots SET state = 'uploading', lease_until = @leaseUntil, next_attempt_at = @leaseUntil
     WHERE id IN (
       SELECT id FROM screenshots INDEXED BY screenshots_queue
       WHERE state IN ('captured', 'uploading') AND next_attempt_at <= @now AND taken_at <= @reviewedBefore
       ORDER BY next_attempt_at LIMIT @limit)
     RETURNING *`,
  );
  const shotDone = db.prepare(
    `UPDATE screenshots SET state = 'done', lease_until = NULL, done_at = ?, last_error = NULL WHERE id = ?`,
  );
  const shotRetry = db.prepare(
    `UPDATE screenshots SET state = 'captured', lease_until = NULL, next_attempt_at = ?, last_error = ?,
       attempts = attempts + ? WHERE id = ? AND state IN ('captured', 'uploading')`,
  );
  const shotDead = db.prepare(
    `UPDATE screenshots SET state = 'dead', lease_until = NULL, last_error = ?, failed_at = ?, attempts = attempts + 1
     WHERE id = ? AND state IN ('captured', 'uploading')`,
  );
  const claimOpsStmt = db.prepare(
    `UPDATE ops SET state = 'sending', lease_until = @leaseUntil, next_attempt_at = @leaseUntil
     WHERE id IN (
       SELECT id FROM ops INDEXED BY ops_queue
       WHERE state IN ('pending', 'sending') AND next_attempt_at <= @now
       ORDER BY next_attempt_at, rowid LIMIT @limit)
     RETURNING rowid AS seq, id, payload, attempts`,
  );
  const opDone = db.prepare(`UPDATE ops SET state = 'done', lease_until = NULL, done_at = ?, last_error = NULL WHERE id = ?`);
  const opRetry = db.prepare(
    `UPDATE ops SET state = 'pending', lease_until = NULL, next_attempt_at = ?, last_error = ?, attempts = attempts + ?
     WHERE id = ? AND state IN ('pending', 'sending')`,
  );
  const opDead = db.prepare(
    `UPDATE ops SET state = 'dead', lease_until = NULL, last_error = ?, failed_at = ?, attempts = attempts + 1
     WHERE id = ? AND state IN ('pending', 'sending')`,
  );

  return {
    claimScreenshots(limit, leaseMs, now) {
      const review = reviewMs();
      const reviewedBefore = review > 0 ? now - review : Number.MAX_SAFE_INTEGER;
      const rows = claimShots.all({ leaseUntil: now + leaseMs, now, limit, reviewedBefore }) as ScreenshotRow[];
      return rows.sort((a, b) => a.taken_at - b.taken_at || a.id.localeCompare(b.id)).map(toScreenshotJob);
    },
    markScreenshotDone(id, now) {
      shotDone.run(now, id);
    },
    retryScreenshot(id, nextAttemptAt, error, countAttempt) {
      shotRetry.run(nextAttemptAt, error, countAttempt ? 1 : 0, id);
    },
    deadScreenshot(id, reason, now) {
      shotDead.run(reason, now, id);
    },
    claimOps(limit, leaseMs, now) {
      const rows = claimOpsStmt.all({ leaseUntil: now + leaseMs, now, limit }) as OpRow[];
      // Insertion order, so an entry's start precedes its stop. Not by id: UUIDv7s made in the
      // same millisecond are random in their low bits, and a start and stop can share one.
      return rows
        .sort((a, b) => a.seq - b.seq)
        .map((r): OpJob => ({ id: r.id, op: syncOpSchema.parse(JSON.parse(r.payload)), attempts: r.attempts }));
    },
    markOpsDone(ids, now) {
      db.transaction(() => ids.forEach((id) => opDone.run(now, id)))();
    },
    retryOps(ids, nextAttemptAt, error, countAttempt) {
      db.transaction(() => ids.forEach((id) => opRetry.run(nextAttemptAt, error, countAttempt ? 1 : 0, id)))();
    },
    deadOp(id, reason, now) {
      opDead.run(reason, now, id);
    },
    requeueDead(id, now) {
      return db.transaction(() => {
        const where = id === undefined ? `state = 'dead'` : `state = 'dead' AND id = @id`;
        const a = db
          .prepare(`UPDATE screenshots SET state = 'captured', next_attempt_at = @now, last_error = NULL WHERE ${where}`)
          .run(id === undefined ? { now } : { now, id }).changes;
        const b = db
          .prepare(`UPDATE ops SET state = 'pending', next_attempt_at = @now, last_error = NULL WHERE ${where}`)
          .run(id === undefined ? { now } : { now, id }).changes;
        return a + b;
      })();
    },
  };
}
