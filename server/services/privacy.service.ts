import type { z } from 'zod';
import type { auditResponseSchema, eraseResponseSchema, UserExport } from '../../src/shared/http/privacy';
import { forbidden, notFound } from '../errors/http-error';
import { userKeyPrefix } from '../store/blob/object-keys';
import { deleteTrackedData, listAudit, userDataRows } from '../store/user-data.repository';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

/** GDPR access: the user themself or an admin. */
export async function exportUser(ctx: ServiceContext, by: Principal, userId: string): Promise<UserExport> {
  if (!isAdmin(by) && by.userId !== userId) throw notFound('no such user visible to you');
  const data = await ctx.db.inOrg(by.orgId, async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw notFound('no such user visible to you');
    const out = { user: toSummary(user), ...(await userDataRows(tx, by.orgId, userId)) };
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
  const prefix = userKeyPrefix(by.orgId, userId);
  if (!(await ctx.db.inOrg(by.orgId, (tx) => findUser(tx, userId)))) throw notFound('no such user in your org');
  // Objects first, then the rows, then the prefix again: whatever a job or an upload stored in
  // between (a thumbnail, bytes whose row is already gone) goes too.
  await ctx.blobs.deletePrefix(prefix);
  const result = await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, userId))) throw notFound('no such user in your org');
    const deleted = await deleteTrackedData(tx, by.orgId, userId);
    await audit(tx, by, 'user.erase', 'user', userId, deleted);
    return { userId, deleted };
  });
  await ctx.blobs.deletePrefix(prefix);
  return result;
}

export async function auditLog(ctx: ServiceContext, by: Principal, q: { limit: number; action?: string | undefined }): Promise<z.infer<typeof auditResponseSchema>> {
  if (!isAdmin(by)) throw forbidden('only admins read the audit log');
  const rows = await ctx.db.inOrg(by.orgId, (tx) => listAudit(tx, by.orgId, { limit: q.limit, action: q.action ?? null }));
  return {
    entries: rows.map((r) => ({ id: r.id, actorId: r.actor_id, action: r.action, targetType: r.target_type, targetId: r.target_id, detail: r.detail, at: r.at.toISOString() })),
  };
}
