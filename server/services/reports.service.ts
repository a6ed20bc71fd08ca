import type { z } from 'zod';
import type { summaryQuerySchema, summaryResponseSchema } from '../../src/shared/http/timeline';
import { badRequest, notFound } from '../errors/http-error';
import { summaryRows } from '../store/timeline.repository';
import { canSee, findUser, visibleUserIds } from '../store/users.repository';
import { activityPercent } from '../../src/shared/rules/activity-percent';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

type SummaryQuery = z.infer<typeof summaryQuerySchema>;
type SummaryResponse = z.infer<typeof summaryResponseSchema>;

const MAX_DAYS = 366;

/** Totals per user, project or day over [from, to] in the viewer's zone, limited to whom the viewer may see. */
export async function summary(ctx: ServiceContext, by: Principal, q: SummaryQuery): Promise<SummaryResponse> {
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
  if (days < 0) throw badRequest('to is before from');
  if (days > MAX_DAYS) throw badRequest(`a report spans at most ${MAX_DAYS} days`);
  const rows = await ctx.db.inOrg(by.orgId, async (tx) => {
    let userIds = await visibleUserIds(tx, by);
    if (q.userId) {
      if (!(await findUser(tx, q.userId)) || !(await canSee(tx, by, q.userId))) throw notFound('no such user visible to you');
      userIds = [q.userId];
    }
    const out = await summaryRows(tx, { orgId: by.orgId, from: q.from, to: q.to, tz: q.tz, groupBy: q.groupBy, userIds });
    if (q.format === 'csv') await audit(tx, by, 'report.export', 'report', null, { from: q.from, to: q.to, groupBy: q.groupBy, userId: q.userId ?? null });
    return out;
  });
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    rows: rows.map((r) => {
      const tracked = Number(r.tracked);
      const active = Number(r.active);
      return { key: r.key, label: r.label, trackedSeconds: tracked, activeSeconds: active, activityPercent: activityPercent(active, tracked) };
    }),
  };
}

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // quote, and neutralise spreadsheet formulas
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export function summaryCsv(s: SummaryResponse): string {
  const lines = [['key', 'label', 'trackedSeconds', 'activeSeconds', 'activityPercent'].join(',')];
  for (const r of s.rows) lines.push([r.key, r.label, r.trackedSeconds, r.activeSeconds, r.activityPercent].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
