import type { FleetResponse } from '../../src/shared/http/fleet';
import { forbidden } from '../errors/http-error';
import { listFleetRows } from '../store/fleet.repository';
import type { Principal } from '../auth/tokens';
import type { ServiceContext } from './context';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** IT's view of the org's devices: version, last seen, what waits on each, policy file errors. Admins only. */
export async function listFleet(ctx: ServiceContext, by: Principal): Promise<FleetResponse> {
  if (by.role !== 'owner' && by.role !== 'admin') throw forbidden('the fleet view is for admins');
  const rows = await ctx.db.inOrg(by.orgId, (tx) => listFleetRows(tx, by.orgId));
  return {
    generatedAt: ctx.now().toISOString(),
    devices: rows.map((d) => ({
      id: d.id,
      name: d.name,
      platform: d.platform,
      user: { id: d.user_id, name: d.user_name, email: d.user_email },
      createdAt: d.created_at.toISOString(),
      lastSeenAt: iso(d.last_seen_at),
      revokedAt: iso(d.revoked_at),
      appVersion: d.app_version,
      reportedAt: iso(d.report_sent_at),
      queue:
        d.report_sent_at === null
          ? null
          : { screenshots: d.queued_screenshots ?? 0, ops: d.queued_ops ?? 0, deadLetters: d.dead_letters ?? 0, oldestUnsyncedAt: iso(d.oldest_unsynced_at) },
      policyError: d.policy_error,
    })),
  };
}
