import type { z } from 'zod';
import type { teamNowResponseSchema } from '../../src/shared/http/timeline';
import { visibleUserIds } from '../store/users.repository';
import type { ServiceContext } from './context';
import type { Principal } from './tokens';

type TeamNow = z.infer<typeof teamNowResponseSchema>;

/** A running entry counts as tracking while its device reported within this window. */
const LIVE_MS = 15 * 60_000;

interface Row {
  id: string;
  name: string;
  entry_id: string | null;
  project_id: string | null;
  project_name: string | null;
  started_at: Date | null;
  last_seen_at: Date | null;
}

export async function teamNow(ctx: ServiceContext, by: Principal): Promise<TeamNow> {
  const now = ctx.now();
  const rows = await ctx.db.inOrg(by.orgId, async (tx) => {
    const visible = await visibleUserIds(tx, by);
    return (
      await tx.query<Row>(
        `SELECT u.id, u.name, e.id AS entry_id, e.project_id, p.name AS project_name, e.started_at,
                -- A minute flushed before it was over (a clean stop) would otherwise be seen in the future.
                least($3::timestamptz,
                      greatest((SELECT max(d.last_seen_at) FROM devices d WHERE d.user_id = u.id AND d.org_id = u.org_id),
                               (SELECT max(m.minute_start) + interval '1 minute' FROM activity_minutes m WHERE m.user_id = u.id AND m.org_id = u.org_id
                                  AND m.minute_start > $3::timestamptz - interval '1 day'))) AS last_seen_at
           FROM users u
           LEFT JOIN LATERAL (SELECT * FROM time_entries t WHERE t.user_id = u.id AND t.org_id = u.org_id AND t.ended_at IS NULL
                               ORDER BY t.started_at DESC LIMIT 1) e ON true
           LEFT JOIN projects p ON p.id = e.project_id
          WHERE u.org_id = $1 AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[]))
          ORDER BY u.name`,
        [by.orgId, visible === 'all' ? null : visible, now],
      )
    ).rows;
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
