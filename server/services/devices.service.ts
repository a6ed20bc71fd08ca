import type { TokenResponse } from '../../src/shared/http/auth';
import { forbidden, notFound, unauthorized } from '../errors/http-error';
import { findDevice, insertSignedInDevice, listDeviceRows, markDeviceRevoked, touchDeviceByCredential } from '../store/devices.repository';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Queryable } from '../store/db';
import type { Principal } from '../auth/tokens';
import { hashToken, newOpaqueToken } from '../auth/tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

export async function deviceAccessToken(ctx: ServiceContext, deviceId: string, deviceToken: string): Promise<TokenResponse> {
  const row = await ctx.db.system((tx) => touchDeviceByCredential(tx, deviceId, hashToken(deviceToken), ctx.now()));
  if (!row || row.revoked_at) throw unauthorized('unknown or revoked device credential');
  const user = await ctx.db.inOrg(row.org_id, (tx) => findUser(tx, row.user_id));
  if (!user) throw unauthorized('the device user no longer exists');
  const accessToken = await ctx.tokens.issue({ userId: user.id, orgId: user.orgId, role: user.role, deviceId });
  return { accessToken, expiresIn: ctx.tokens.expiresIn, user: toSummary(user) };
}

export async function listDevices(ctx: ServiceContext, by: Principal) {
  const rows = await ctx.db.inOrg(by.orgId, (tx) => listDeviceRows(tx, by.orgId, isAdmin(by) ? null : by.userId));
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
    const owner = (await findDevice(tx, by.orgId, deviceId))?.user_id;
    if (!owner || (!isAdmin(by) && owner !== by.userId)) throw notFound('no such device');
    await markDeviceRevoked(tx, deviceId, ctx.now());
    await audit(tx, by, 'device.revoke', 'device', deviceId);
  });
  ctx.revocations.deviceRevoked(deviceId);
}

/**
 * The device a write comes from must be this user's, not revoked, and match the token's device.
 * A user signed in with a password (no enrollment) gets the device registered on first use.
 */
export async function assertOwnDevice(ctx: ServiceContext, by: Principal, deviceId: string, tx: Queryable): Promise<void> {
  if (by.deviceId && by.deviceId !== deviceId) throw forbidden('deviceId does not match the device this token was issued to');
  let d = await findDevice(tx, by.orgId, deviceId);
  if (!d) {
    if (by.deviceId) throw forbidden('unknown device');
    if (await insertSignedInDevice(tx, { id: deviceId, orgId: by.orgId, userId: by.userId, tokenHash: hashToken(newOpaqueToken()), now: ctx.now() })) return;
    // A concurrent first request of this device may have registered it: read it with a fresh snapshot.
    d = await findDevice(tx, by.orgId, deviceId);
    if (!d) throw forbidden('this device id belongs to someone else');
  }
  if (d.user_id !== by.userId) throw forbidden('this device id belongs to someone else');
  if (d.revoked_at) throw forbidden('this device was revoked');
}
