import { lockActivityRollups } from './activity-rollups.repository';
import type { Queryable } from './db';
import { deleteScreenshotRows } from './screenshots.repository';

type Rows = Array<Record<string, unknown>>;

/** Everything tracked of one user, as stored (GDPR access). */
export async function userDataRows(q: Queryable, orgId: string, userId: string) {
  const all = async (sql: string): Promise<Rows> => (await q.query<Record<string, unknown>>(sql, [orgId, userId])).rows;
  return {
    devices: await all(`SELECT id, name, platform, created_at, last_seen_at, revoked_at FROM devices WHERE org_id = $1 AND user_id = $2 ORDER BY created_at`),
    entries: await all(`SELECT id, project_id, task_id, started_at, ended_at, stop_reason, received_at FROM time_entries WHERE org_id = $1 AND user_id = $2 ORDER BY started_at`),
    activityMinutes: await all(`SELECT id, entry_id, minute_start, active_seconds, tracked_seconds, apps FROM activity_minutes WHERE org_id = $1 AND user_id = $2 ORDER BY minute_start`),
    idleSpans: await all(`SELECT id, entry_id, started_at, ended_at, decision, project_id, task_id FROM idle_spans WHERE org_id = $1 AND user_id = $2 ORDER BY started_at`),
    shots: await all(`SELECT id, entry_id, taken_at, display_id, width, height, bytes, sha256, content_type, state, object_key FROM screenshots WHERE org_id = $1 AND user_id = $2 ORDER BY taken_at`),
  };
}

/** Deletes every row of the user's tracked data (GDPR erasure); the account and devices stay. */
export async function deleteTrackedData(q: Queryable, orgId: string, userId: string) {
  const del = async (table: string) => (await q.query(`DELETE FROM ${table} WHERE org_id = $1 AND user_id = $2`, [orgId, userId])).rowCount ?? 0;
  await lockActivityRollups(q, userId);
  const deleted = {
    screenshots: (await deleteScreenshotRows(q, { orgId, userId })).count,
    activityMinutes: await del('activity_minutes'),
    idleSpans: await del('idle_spans'),
    entries: await del('time_entries'),
  };
  await del('activity_rollups');
  await del('sync_ops');
  return deleted;
}

export interface AuditRow {
  id: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export async function listAudit(q: Queryable, orgId: string, f: { limit: number; action: string | null }): Promise<AuditRow[]> {
  const r = await q.query<AuditRow>(
    `SELECT id::text, actor_id, action, target_type, target_id, detail, at FROM audit_log
      WHERE org_id = $1 AND ($2::text IS NULL OR action = $2) ORDER BY id DESC LIMIT $3`,
    [orgId, f.action, f.limit],
  );
  return r.rows;
}
