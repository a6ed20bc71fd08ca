import { randomUUID } from 'node:crypto';
import type { EnrollResponse, TokenResponse } from '../../src/shared/http/auth';
import { conflict, forbidden, notFound, unauthorized } from '../http/http-error';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Queryable } from '../store/db';
import type { Principal } from './tokens';
import { hashToken, newOpaqueToken } from './tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

export async function createEnrollmentToken(ctx: ServiceContext, by: Principal, userId: string, hours: number) {
  if (!isAdmin(by)) throw forbidden('only admins create enrollment tokens');
  const token = newOpaqueToken();
  const expiresAt = new Date(ctx.now().getTime() + hours * 3_600_000);
  await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, userId))) throw notFound('no such user in your org');
    await tx.query(
      `INSERT INTO enrollment_tokens (id, org_id, user_id, token_hash, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), by.orgId, userId, hashToken(token), expiresAt, by.userId],
    );
    await audit(tx, by, 'enrollment_token.create', 'user', userId, { expiresAt });
  });
  return { enrollmentToken: token, userId, expiresAt: expiresAt.toISOString() };
}

/** Turns an enrollment token into a device credential bound to that user and this device id. */
export async function enroll(
  ctx: ServiceContext,
  req: { enrollmentToken: string; deviceId: string; name: string; platform: string },
): Promise<EnrollResponse> {
  const now = ctx.now();
  // One system transaction for both cross-org lookups: the token, and whose the device id is.
  const grant = await ctx.db.system(async (tx) => {
    const r = await tx.query<{ org_id: string; user_id: string; expires_at: Date; device_owner: string | null }>(
      `SELECT org_id, user_id, expires_at, (SELECT user_id FROM devices WHERE id = $2) AS device_owner
         FROM enrollment_tokens WHERE token_hash = $1`,
      [hashToken(req.enrollmentToken), req.deviceId],
    );
    return r.rows[0] ?? null;
  });
  if (!grant || grant.expires_at < now) throw unauthorized('unknown or expired enrollment token');
  if (grant.device_owner && grant.device_owner !== grant.user_id) throw conflict('this device id is enrolled for another user');
  const deviceToken = newOpaqueToken();
  const user = await ctx.db.inOrg(grant.org_id, async (tx) => {
    await tx.query(
      `INSERT INTO devices (id, org_id, user_id, name, platform, token_hash, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform,
         token_hash = excluded.token_hash, revoked_at = NULL, last_seen_at = excluded.last_seen_at`,
      [req.deviceId, grant.org_id, grant.user_id, req.name, req.platform, hashToken(deviceToken), now],
    );
    const u = await findUser(tx, grant.user_id);
    if (!u) throw unauthorized('the enrolled user no longer exists');
    await audit(tx, { orgId: grant.org_id, userId: u.id }, 'device.enroll', 'device', req.deviceId, { name: req.name });
    return u;
  });
  return { deviceId: req.deviceId, deviceToken, user: toSummary(user) };
}

export async function deviceAccessToken(ctx: ServiceContext, deviceId: string, deviceToken: string): Promise<TokenResponse> {
  const row = await ctx.db.system(async (tx) => {
    const r = await tx.query<{ org_id: string; user_id: string; revoked_at: Date | null; token_hash: Buffer }>(
      `UPDATE devices SET last_seen_at = $3 WHERE id = $1 AND token_hash = $2 RETURNING org_id, user_id, revoked_at`,
      [deviceId, hashToken(deviceToken), ctx.now()],
    );
    return r.rows[0] ?? null;
  });
  if (!row || row.revoked_at) throw unauthorized('unknown or revoked device credential');
  const user = await ctx.db.inOrg(row.org_id, (tx) => findUser(tx, row.user_id));
  if (!user) throw unauthorized('the device user no longer exists');
  const accessToken = await ctx.tokens.issue({ userId: user.id, orgId: user.orgId, role: user.role, deviceId });
  return { accessToken, expiresIn: ctx.tokens.expiresIn, user: toSummary(user) };
}

interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  platform: string;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
}

export async function listDevices(ctx: ServiceContext, by: Principal) {
  const rows = await ctx.db.inOrg(by.orgId, async (tx) =>
    isAdmin(by)
      ? (await tx.query<DeviceRow>(`SELECT * FROM devices WHERE org_id = $1 ORDER BY created_at`, [by.orgId])).rows
      : (await tx.query<DeviceRow>(`SELECT * FROM devices WHERE org_id = $1 AND user_id = $2 ORDER BY created_at`, [by.orgId, by.userId])).rows,
  );
  return {
    devices: rows.map((d) => ({
      id: d.id,
      userId: d.user_id,
      name: d.name,
      platform: d.platform,
      createdAt: d.created_at.toISOString(),
      lastSeenAt: d.last_seen_at?.toISOString() ?? null,
      revokedAt: d.revoked_at?.toISOString() ?? null,
    })),
  };
}

export async function revokeDevice(ctx: ServiceContext, by: Principal, deviceId: string): Promise<void> {
  await ctx.db.inOrg(by.orgId, async (tx) => {
    const r = await tx.query<{ user_id: string }>(`SELECT user_id FROM devices WHERE id = $1 AND org_id = $2`, [deviceId, by.orgId]);
    const owner = r.rows[0]?.user_id;
    if (!owner || (!isAdmin(by) && owner !== by.userId)) throw notFound('no such device');
    await tx.query(`UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, [deviceId, ctx.now()]);
    await audit(tx, by, 'device.revoke', 'device', deviceId);
  });
}

/**
 * The device a write comes from must be this user's, not revoked, and match the token's device.
 * A user signed in with a password (no enrollment) gets the device registered on first use.
 */
export async function assertOwnDevice(ctx: ServiceContext, by: Principal, deviceId: string, tx: Queryable): Promise<void> {
  if (by.deviceId && by.deviceId !== deviceId) throw forbidden('deviceId does not match the device this token was issued to');
  const find = async () =>
    (await tx.query<{ user_id: string; revoked_at: Date | null }>(`SELECT user_id, revoked_at FROM devices WHERE id = $1 AND org_id = $2`, [deviceId, by.orgId])).rows[0];
  let d = await find();
  if (!d) {
    if (by.deviceId) throw forbidden('unknown device');
    const inserted = await tx.query(
      `INSERT INTO devices (id, org_id, user_id, name, platform, token_hash, last_seen_at)
       VALUES ($1, $2, $3, 'signed-in device', 'unknown', $4, $5) ON CONFLICT (id) DO NOTHING`,
      [deviceId, by.orgId, by.userId, hashToken(newOpaqueToken()), ctx.now()],
    );
    if (inserted.rowCount === 1) return;
    // A concurrent first request of this device may have registered it: read it with a fresh snapshot.
    d = await find();
    if (!d) throw forbidden('this device id belongs to someone else');
  }
  if (d.user_id !== by.userId) throw forbidden('this device id belongs to someone else');
  if (d.revoked_at) throw forbidden('this device was revoked');
}
