import type { Queryable } from './db';

/**
 * Slots are 10 minutes on the viewer's wall clock: date_bin over the local timestamp, then the
 * UTC start is the instant minus its distance from the local slot start (unambiguous across
 * DST folds, and +05:45 lands on :05/:15 UTC as it must).
 */
const slotOf = (col: string) => `date_bin('10 minutes', ${col} AT TIME ZONE $3, timestamp '2000-01-01')`;
const slotStartUtc = (col: string) => `${col} - ((${col} AT TIME ZONE $3) - ${slotOf(col)})`;

export interface MinuteRow {
  slot_start: Date;
  label: string;
  active_seconds: number;
  tracked_seconds: number;
  apps: Array<{ app: string; seconds: number }>;
  project_id: string | null;
  project_name: string | null;
}

export async function dayMinutes(q: Queryable, orgId: string, userId: string, date: string, tz: string): Promise<MinuteRow[]> {
  const r = await q.query<MinuteRow>(
    `SELECT ${slotStartUtc('m.minute_start')} AS slot_start, to_char(${slotOf('m.minute_start')}, 'HH24:MI') AS label,
            m.active_seconds, m.tracked_seconds, m.apps, e.project_id, p.name AS project_name
       FROM activity_minutes m
       LEFT JOIN time_entries e ON e.id = m.entry_id AND e.org_id = m.org_id
       LEFT JOIN projects p ON p.id = e.project_id
      WHERE m.org_id = $4 AND m.user_id = $1
        AND m.minute_start >= ($2::date::timestamp AT TIME ZONE $3) AND m.minute_start < (($2::date + 1)::timestamp AT TIME ZONE $3)
        AND NOT EXISTS (SELECT 1 FROM idle_spans s WHERE s.org_id = m.org_id AND s.user_id = m.user_id AND s.decision = 'discard'
                          AND m.minute_start >= s.started_at AND m.minute_start < s.ended_at)
      ORDER BY m.minute_start`,
    [userId, date, tz, orgId],
  );
  return r.rows;
}

export interface DayShotRow {
  slot_start: Date;
  label: string;
  id: string;
  org_id: string;
  taken_at: Date;
  display_id: string;
  width: number;
  height: number;
  thumb_key: string | null;
}

export async function dayScreenshots(q: Queryable, orgId: string, userId: string, date: string, tz: string): Promise<DayShotRow[]> {
  const r = await q.query<DayShotRow>(
    `SELECT ${slotStartUtc('s.taken_at')} AS slot_start, to_char(${slotOf('s.taken_at')}, 'HH24:MI') AS label,
            s.id, s.org_id, s.taken_at, s.display_id, s.width, s.height, s.thumb_key
       FROM screenshots s
      WHERE s.org_id = $4 AND s.user_id = $1 AND s.state IN ('stored', 'verified')
        AND s.taken_at >= ($2::date::timestamp AT TIME ZONE $3) AND s.taken_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
      ORDER BY s.taken_at`,
    [userId, date, tz, orgId],
  );
  return r.rows;
}

export interface SummaryRow {
  key: string;
  label: string;
  tracked: string;
  active: string;
}

export async function summaryRows(
  q: Queryable,
  p: { orgId: string; from: string; to: string; tz: string; groupBy: 'user' | 'project' | 'day'; userIds: string[] | 'all' },
): Promise<SummaryRow[]> {
  const group = {
    user: { key: 'u.id::text', label: 'u.name' },
    project: { key: `coalesce(e.project_id::text, 'none')`, label: `coalesce(pr.name, '(no project)')` },
    day: { key: `to_char(m.minute_start AT TIME ZONE $3, 'YYYY-MM-DD')`, label: `to_char(m.minute_start AT TIME ZONE $3, 'YYYY-MM-DD')` },
  }[p.groupBy];
  const r = await q.query<SummaryRow>(
    `SELECT ${group.key} AS key, min(${group.label}) AS label,
            sum(m.tracked_seconds) AS tracked, sum(m.active_seconds) AS active
       FROM activity_minutes m
       JOIN users u ON u.id = m.user_id
       LEFT JOIN time_entries e ON e.id = m.entry_id AND e.org_id = m.org_id
       LEFT JOIN projects pr ON pr.id = e.project_id
      WHERE m.org_id = $4
        AND m.minute_start >= ($1::date::timestamp AT TIME ZONE $3) AND m.minute_start < (($2::date + 1)::timestamp AT TIME ZONE $3)
        AND ($5::uuid[] IS NULL OR m.user_id = ANY($5::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM idle_spans s WHERE s.org_id = m.org_id AND s.user_id = m.user_id AND s.decision = 'discard'
                          AND m.minute_start >= s.started_at AND m.minute_start < s.ended_at)
      GROUP BY 1 ORDER BY 1`,
    [p.from, p.to, p.tz, p.orgId, p.userIds === 'all' ? null : p.userIds],
  );
  return r.rows;
}
