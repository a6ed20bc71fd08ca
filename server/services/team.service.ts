import type { z } from 'zod';
import type { teamNowResponseSchema } from '../../src/shared/http/timeline';
import { teamNowRows } from '../store/timeline.repository';
import { visibleUserIds } from '../store/users.repository';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

type TeamNow = z.infer<typeof teamNowResponseSchema>;

/** A running entry counts as tracking while its device reported within this window. */
const LIVE_MS = 15 * 60_000;

export async function teamNow(ctx: ServiceContext, by: Principal): Promise<TeamNow> {
  const now = ctx.now();
  const rows = await ctx.db.inOrg(by.orgId, async (tx) => {
    const visible = await visibleUserIds(tx, by);
    return teamNowRows(tx, by.orgId, visible === 'all' ? null : visible, now);
  });
  return {
    members: rows.map((r) => {
      const live = r.entry_id !== null && r.started_at !== null && now.getTime() - Math.max(r.started_at.getTime(), r.last_seen_at?.getTime() ?? 0) < LIVE_MS;
      return {
        userId: r.id,
        name: r.name,
        tracking: live,
        entry: live && r.entry_id && r.project_id && r.started_at
          ? { id: r.entry_id, projectId: r.project_id, projectName: r.project_name ?? '', startedAt: r.started_at.toISOString() }
          : null,
        lastSeenAt: r.last_seen_at?.toISOString() ?? null,
      };
    }),
  };
}
