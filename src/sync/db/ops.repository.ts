import { syncOpSchema, type SyncOp } from '../../shared/http/push';
import type { Db } from './open-db';

/** The id of the record an op is about (its entry, minute, screenshot or idle span). */
function subjectOf(op: SyncOp): string {
  switch (op.kind) {
    case 'entry.upsert':
      return op.entry.id;
    case 'activity.minute':
      return op.minute.id;
    case 'screenshot.delete':
      return op.screenshotId;
    case 'idle.decision':
      return op.span.id;
  }
}

/**
 * Appends an op the server must learn. Validated against the wire schema here, so a bad op
 * fails where it is made, never later in the sync engine. Call inside the transaction that
 * changes the record it describes.
 */
export function appendOp(db: Db, op: SyncOp, now: number): SyncOp {
  const parsed = syncOpSchema.parse(op);
  db.prepare(
    `INSERT INTO ops (id, kind, subject_id, payload, created_at, state, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
  ).run(parsed.id, parsed.kind, subjectOf(parsed), JSON.stringify(parsed), now, now);
  return parsed;
}

export function hasDeleteOp(db: Db, screenshotId: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM ops WHERE subject_id = ? AND kind = 'screenshot.delete' LIMIT 1`).get(screenshotId) !==
    undefined
  );
}

/**
 * Entries on projects outside `projectIds` stay on this device: their unsent `entry.upsert` ops
 * leave the outbox (the entries themselves stay, and count in the device's totals). Returns how many.
 */
export function dropUnsentEntryOpsOutside(db: Db, projectIds: string[]): number {
  return db
    .prepare(
      `DELETE FROM ops WHERE kind = 'entry.upsert' AND state = 'pending'
       AND json_extract(payload, '$.entry.projectId') NOT IN (SELECT value FROM json_each(?))`,
    )
    .run(JSON.stringify(projectIds)).changes;
}
