import { capturePolicySchema, type CapturePolicy } from '../../src/shared/policy';
import type { MeResponse } from '../../src/shared/http/org';
import { forbidden, notFound, unauthorized } from '../errors/http-error';
import { findOrg, lockOrgPolicy, saveOrgPolicy, saveRetention, type OrgRow } from '../store/orgs.repository';
import { findUser, toSummary } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

async function loadOrg(ctx: ServiceContext, orgId: string): Promise<OrgRow> {
  const row = await ctx.db.inOrg(orgId, (tx) => findOrg(tx, orgId));
  if (!row) throw notFound('no such org');
  return row;
}

export async function orgPolicy(ctx: ServiceContext, orgId: string): Promise<CapturePolicy> {
  return capturePolicySchema.parse((await loadOrg(ctx, orgId)).policy);
}

export async function me(ctx: ServiceContext, by: Principal): Promise<MeResponse> {
  const org = await loadOrg(ctx, by.orgId);
  const user = await ctx.db.inOrg(by.orgId, (tx) => findUser(tx, by.userId));
  if (!user) throw unauthorized('user no longer exists');
  return {
    user: toSummary(user),
    org: { id: org.id, name: org.name, retentionDays: org.retention_days },
    policy: capturePolicySchema.parse(org.policy),
    // Thumbnails come from the blob store, full images from the server's redirect to it.
    imageOrigins: [...new Set([new URL(ctx.publicUrl()).origin, await ctx.blobs.viewOrigin()])],
  };
}

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

export async function updatePolicy(ctx: ServiceContext, by: Principal, patch: Partial<CapturePolicy>): Promise<CapturePolicy> {
  if (!isAdmin(by)) throw forbidden('only admins change the capture policy');
  // Read and write under the row lock: two admins changing different fields both keep their change.
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const stored = await lockOrgPolicy(tx, by.orgId);
    if (!stored) throw notFound('no such org');
    const next = capturePolicySchema.parse({ ...capturePolicySchema.parse(stored), ...patch });
    await saveOrgPolicy(tx, by.orgId, next);
    await audit(tx, by, 'policy.update', 'org', by.orgId, { patch });
    return next;
  });
}

export async function updateRetention(ctx: ServiceContext, by: Principal, retentionDays: number | null): Promise<void> {
  if (!isAdmin(by)) throw forbidden('only admins change the retention policy');
  await ctx.db.inOrg(by.orgId, async (tx) => {
    await saveRetention(tx, by.orgId, retentionDays);
    await audit(tx, by, 'retention.update', 'org', by.orgId, { retentionDays });
  });
}
