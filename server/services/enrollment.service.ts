import { randomUUID } from 'node:crypto';
import type { EnrollResponse, EnrollmentTokenList } from '../../src/shared/http/auth';
import { conflict, forbidden, notFound, unauthorized } from '../errors/http-error';
import { upsertEnrolledDevice } from '../store/devices.repository';
import { countEnrolledDevice, findGrant, insertEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from '../store/enrollment-tokens.repository';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';
import { hashToken, newOpaqueToken } from '../auth/tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';
const requireAdmin = (p: Principal) => {
  if (!isAdmin(p)) throw forbidden('only admins manage enrollment tokens');
};

export async function createEnrollmentToken(ctx: ServiceContext, by: Principal, o: { userId: string; expiresInHours: number; maxDevices?: number | undefined }) {
  if (!isAdmin(by)) throw forbidden('only admins create enrollment tokens');
  const token = newOpaqueToken();
  const id = randomUUID();
  const expiresAt = new Date(ctx.now().getTime() + o.expiresInHours * 3_600_000);
  const maxDevices = o.maxDevices ?? null;
  await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, o.userId))) throw notFound('no such user in your org');
    await insertEnrollmentToken(tx, { id, orgId: by.orgId, userId: o.userId, tokenHash: hashToken(token), expiresAt, createdBy: by.userId, maxDevices });
    await audit(tx, by, 'enrollment_token.create', 'user', o.userId, { expiresAt, maxDevices, tokenId: id });
  });
  return { id, enrollmentToken: token, userId: o.userId, expiresAt: expiresAt.toISOString(), maxDevices };
}

export async function listTokens(ctx: ServiceContext, by: Principal): Promise<EnrollmentTokenList> {
  requireAdmin(by);
  const rows = await ctx.db.inOrg(by.orgId, (tx) => listEnrollmentTokens(tx, by.orgId));
  return {
    tokens: rows.map((t) => ({
      id: t.id,
      userId: t.user_id,
      createdBy: t.created_by,
      createdAt: t.created_at.toISOString(),
      expiresAt: t.expires_at.toISOString(),
      revokedAt: t.revoked_at?.toISOString() ?? null,
      maxDevices: t.max_devices,
      enrolledDevices: t.enrolled_devices,
    })),
  };
}

export async function revokeToken(ctx: ServiceContext, by: Principal, id: string): Promise<void> {
  requireAdmin(by);
  await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await revokeEnrollmentToken(tx, by.orgId, id, ctx.now()))) throw notFound('no such enrollment token in your org');
    await audit(tx, by, 'enrollment_token.revoke', 'enrollment_token', id);
  });
}

/**
 * Turns an enrollment token into a device credential bound to that user and this device id.
 * A revoked device id stays revoked: the device must enroll under a new id.
 */
export async function enroll(
  ctx: ServiceContext,
  req: { enrollmentToken: string; deviceId: string; name: string; platform: string },
): Promise<EnrollResponse> {
  const now = ctx.now();
  // One system transaction for both cross-org lookups: the token, and whose the device id is.
  const grant = await ctx.db.system((tx) => findGrant(tx, hashToken(req.enrollmentToken), req.deviceId));
  if (!grant || grant.expires_at < now) throw unauthorized('unknown or expired enrollment token');
  if (grant.revoked_at) throw unauthorized('this enrollment token was revoked by an admin');
  if (grant.device_owner && grant.device_owner !== grant.user_id) throw conflict('this device id is enrolled for another user');
  if (grant.device_revoked_at) throw conflict('this device id was revoked; enroll the device under a new device id');
  const deviceToken = newOpaqueToken();
  const user = await ctx.db.inOrg(grant.org_id, async (tx) => {
    // A new device counts against the token's limit; re-enrolling one it already holds does not.
    if (!grant.device_owner && !(await countEnrolledDevice(tx, grant.id))) {
      throw conflict(`this enrollment token has enrolled its limit of ${grant.max_devices ?? 0} devices (or was revoked meanwhile)`);
    }
    const stored = await upsertEnrolledDevice(tx, {
      id: req.deviceId, orgId: grant.org_id, userId: grant.user_id, name: req.name, platform: req.platform, tokenHash: hashToken(deviceToken), now,
    });
    if (!stored) throw conflict('this device id was revoked or taken meanwhile; enroll under a new device id');
    const u = await findUser(tx, grant.user_id);
    if (!u) throw unauthorized('the enrolled user no longer exists');
    await audit(tx, { orgId: grant.org_id, userId: u.id }, 'device.enroll', 'device', req.deviceId, { name: req.name, tokenId: grant.id });
    return u;
  });
  return { deviceId: req.deviceId, deviceToken, user: toSummary(user) };
}
