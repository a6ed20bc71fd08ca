import type { PushOpResult } from '../../src/shared/http/push';
import type { Queryable } from './db';

/** What the push ops write: entries, activity minutes, idle spans, and the op receipts. */

interface Owner {
  orgId: string;
  userId: string;
}

/** Upserts an entry of this user; false when the id belongs to someone else. */
export async function upsertEntry(
  q: Queryable,
  o: Owner & { deviceId: string },
  e: { id: string; projectId: string; taskId: string | null; startedAt: Date; endedAt: Date | null; stopReason: string | null },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO time_entries (id, org_id, user_id, device_id, project_id, task_id, started_at, ended_at, stop_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, task_id = excluded.task_id,
       started_at = excluded.started_at,
       -- an entry once ended stays ended: a late, out-of-order upsert of its start must not reopen it
       ended_at = coalesce(excluded.ended_at, time_entries.ended_at),
       stop_reason = coalesce(excluded.stop_reason, time_entries.stop_reason), received_at = now()
     WHERE time_entries.user_id = excluded.user_id RETURNING id`,
    [e.id, o.orgId, o.userId, o.deviceId, e.projectId, e.taskId, e.startedAt, e.endedAt, e.stopReason],
  );
  return r.rowCount === 1;
}

/** Upserts an activity minute of this user; false when the id belongs to someone else. */
export async function upsertActivityMinute(
  q: Queryable,
  o: Owner & { deviceId: string },
  m: { id: string; entryId: string | null; minuteStart: Date; activeSeconds: number; trackedSeconds: number; appsJson: string },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO activity_minutes (id, org_id, user_id, device_id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, minute_start = excluded.minute_start,
       active_seconds = excluded.active_seconds, tracked_seconds = excluded.tracked_seconds, apps = excluded.apps
     WHERE activity_minutes.user_id = excluded.user_id RETURNING id`,
    [m.id, o.orgId, o.userId, o.deviceId, m.entryId, m.minuteStart, m.activeSeconds, m.trackedSeconds, m.appsJson],
  );
  return r.rowCount === 1;
}

/** Upserts an idle span of this user; false when the id belongs to someone else. */
export async function upsertIdleSpan(
  q: Queryable,
  o: Owner,
  sp: { id: string; entryId: string | null; startedAt: Date; endedAt: Date; decision: string; projectId: string | null; taskId: string | null },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO idle_spans (id, org_id, user_id, entry_id, started_at, ended_at, decision, project_id, task_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, started_at = excluded.started_at, ended_at = excluded.ended_at,
       decision = excluded.decision, project_id = excluded.project_id, task_id = excluded.task_id
     WHERE idle_spans.user_id = excluded.user_id RETURNING id`,
    [sp.id, o.orgId, o.userId, sp.entryId, sp.startedAt, sp.endedAt, sp.decision, sp.projectId, sp.taskId],
  );
  return r.rowCount === 1;
}

/** Claims an op id (its receipt, optimistically "applied"); false when the id was claimed before. */
export async function claimOp(q: Queryable, o: Owner & { deviceId: string }, op: { id: string; kind: string; contentHash: string }): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO sync_ops (id, org_id, user_id, device_id, kind, content_hash, result) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [op.id, o.orgId, o.userId, o.deviceId, op.kind, op.contentHash, JSON.stringify({ id: op.id, outcome: 'applied' })],
  );
  return r.rowCount === 1;
}

export async function recordOpResult(q: Queryable, id: string, result: PushOpResult): Promise<void> {
  await q.query(`UPDATE sync_ops SET result = $2 WHERE id = $1`, [id, JSON.stringify(result)]);
}

export async function findOpReceipt(q: Queryable, id: string): Promise<{ content_hash: string; result: PushOpResult; user_id: string } | null> {
  const r = await q.query<{ content_hash: string; result: PushOpResult; user_id: string }>(`SELECT content_hash, result, user_id FROM sync_ops WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}
