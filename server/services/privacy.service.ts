import type { z } from 'zod';
import type { auditResponseSchema, eraseResponseSchema, UserExport } from '../../src/shared/http/privacy';
import { forbidden, notFound } from '../http/http-error';
import { userKeyPrefix } from '../store/blob/object-keys';
import { deleteScreenshotRows } from '../store/screenshots.repository';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from './tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

/** GDPR access: the user themself or an admin. */
export async function exportUser(ctx: ServiceContext, by: Principal, userId: string): Promise<UserExport> {
  if (!isAdmin(by) && by.userId !== userId) throw notFound('no such user visible to you');
  const data = await ctx.db.inOrg(by.orgId, async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw notFound('no such user visible to you');
    const q = async (sql: string) => (await tx.query<Record<string, unknown>>(sql, [by.orgId, userId])).rows;
    const out = {
      user: toSummary(user),
      devices: await q(`SELECT id, name, platform, created_at, last_seen_at, revoked_at FROM devices WHERE org_id = $1 AND user_id = $2 ORDER BY created_at`),
      entries: await q(`SELECT id, project_id, task_id, started_at, ended_at, stop_reason, received_at FROM time_entries WHERE org_id = $1 AND user_id = $2 ORDER BY started_at`),
      activityMinutes: await q(`SELECT id, entry_id, minute_start, active_seconds, tracked_seconds, apps FROM activity_minutes WHERE org_id = $1 AND user_id = $2 ORDER BY minute_start`),
      idleSpans: await q(`SELECT id, entry_id, started_at, ended_at, decision, project_id, task_id FROM idle_spans WHERE org_id = $1 AND user_id = $2 ORDER BY started_at`),
      shots: await q(`SELECT id, entry_id, taken_at, display_id, width, height, bytes, sha256, content_type, state, object_key FROM screenshots WHERE org_id = $1 AND user_id = $2 ORDER BY taken_at`),
    };
    await audit(tx, by, 'user.export', 'user', userId);
    return out;
  });
  const now = ctx.now();
  const screenshots = await Promise.all(
    data.shots.map(async ({ object_key, ...s }) => ({ ...s, url: await ctx.blobs.presignGet(String(object_key), 3600, now) })),
  );
  return {
    exportedAt: now.toISOString(),
    user: data.user,
    devices: data.devices,
    entries: data.entries,
    activityMinutes: data.activityMinutes,
    idleSpans: data.idleSpans,
    screenshots,
  };
}

/**
 * GDPR erasure (admin): every row of the user's tracked data, then every object under the user's
 * key prefix, whether a row pointed at it or not (an upload that landed after its row was
 * deleted, a thumbnail, a tombstoned upload). The account stays. Erasing again is harmless, so a
 * store failure after the rows are gone is retried by the admin repeating the request.
 */
export async function eraseUserData(ctx: ServiceContext, by: Principal, userId: string): Promise<z.infer<typeof eraseResponseSchema>> {
  if (!isAdmin(by)) throw forbidden('only admins erase a user\'s data');
  const result = await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, userId))) throw notFound('no such user in your org');
    const del = async (table: string) => (await tx.query(`DELETE FROM ${table} WHERE org_id = $1 AND user_id = $2`, [by.orgId, userId])).rowCount ?? 0;
    const pointed = await deleteScreenshotRows(tx, { orgId: by.orgId, userId });
    const deleted = {
      screenshots: pointed.count,
      activityMinutes: await del('activity_minutes'),
      idleSpans: await del('idle_spans'),
      entries: await del('time_entries'),
    };
    await del('sync_ops');
    await audit(tx, by, 'user.erase', 'user', userId, deleted);
    return { userId, deleted };
  });
  await ctx.blobs.deletePrefix(userKeyPrefix(by.orgId, userId));
  return result;
}

export async function auditLog(ctx: ServiceContext, by: Principal, q: { limit: number; action?: string | undefined }): Promise<z.infer<typeof auditResponseSchema>> {
  if (!isAdmin(by)) throw forbidden('only admins read the audit log');
  const rows = await ctx.db.inOrg(by.orgId, async (tx) =>
    (
      await tx.query<{ id: string; actor_id: string | null; action: string; target_type: string; target_id: string | null; detail: Record<string, unknown>; at: Date }>(
        `SELECT id::text, actor_id, action, target_type, target_id, detail, at FROM audit_log
          WHERE org_id = $1 AND ($2::text IS NULL OR action = $2) ORDER BY id DESC LIMIT $3`,
        [by.orgId, q.action ?? null, q.limit],
      )
    ).rows,
  );
  return {
    entries: rows.map((r) => ({ id: r.id, actorId: r.actor_id, action: r.action, targetType: r.target_type, targetId: r.target_id, detail: r.detail, at: r.at.toISOString() })),
  };
}
