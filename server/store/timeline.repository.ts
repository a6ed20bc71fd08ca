import type { Queryable } from './db';

/**
 * The timeline's queries are named (prepared once per connection, so PostgreSQL does not plan
 * them on every request; planning cost as much as running them).
 *
 * Slots are 10 minutes on the viewer's wall clock: date_bin over the local timestamp, then the
 * UTC start is the instant minus its distance from the local slot start (unambiguous across
 * DST folds, and +05:45 lands on :05/:15 UTC as it must).
 */
const zoned = (col: string) =>
  `CROSS JOIN LATERAL (SELECT ${col} AT TIME ZONE $3 AS local) z
   CROSS JOIN LATERAL (SELECT date_bin('10 minutes', z.local, timestamp '2000-01-01') AS slot_local) b`;
const slotStartUtc = (col: string) => `${col} - (z.local - b.slot_local)`;
const slotLabel = `to_char(b.slot_local, 'HH24:MI')`;

export interface SlotRow {
  slot_start: Date;
  label: string;
  tracked: number;
  active: number;
  top_apps: Array<{ app: string; seconds: number }>;
  project_id: string | null;
  project_name: string | null;
}

/**
 * A user-day's activity minutes aggregated per slot in PostgreSQL (one row per slot, not per
 * minute): tracked and active seconds, the top three apps, and the project with most tracked time.
 * Minutes inside a discarded idle span do not count.
 */
export async function daySlots(q: Queryable, orgId: string, userId: string, date: string, tz: string): Promise<SlotRow[]> {
  const r = await q.query<SlotRow>({
    name: 'timeline-day-slots-minutes',
    text: `WITH m AS (
       SELECT ${slotStartUtc('m.minute_start')} AS slot_start, ${slotLabel} AS label,
              m.active_seconds, m.tracked_seconds, m.apps, e.project_id
         FROM activity_minutes m
         ${zoned('m.minute_start')}
         LEFT JOIN time_entries e ON e.id = m.entry_id AND e.org_id = m.org_id AND e.user_id = m.user_id
        WHERE m.org_id = $4 AND m.user_id = $1
          AND m.minute_start >= ($2::date::timestamp AT TIME ZONE $3) AND m.minute_start < (($2::date + 1)::timestamp AT TIME ZONE $3)
          AND NOT EXISTS (SELECT 1 FROM idle_spans s WHERE s.org_id = m.org_id AND s.user_id = m.user_id AND s.decision = 'discard'
                            AND m.minute_start >= s.started_at AND m.minute_start < s.ended_at)),
     slots AS (SELECT slot_start, min(label) AS label, sum(tracked_seconds)::int AS tracked, sum(active_seconds)::int AS active FROM m GROUP BY slot_start),
     apps AS (SELECT slot_start, a->>'app' AS app, sum((a->>'seconds')::int)::int AS seconds,
                     row_number() OVER (PARTITION BY slot_start ORDER BY sum((a->>'seconds')::int) DESC, a->>'app') AS rank
                FROM m, jsonb_array_elements(m.apps) a GROUP BY slot_start, a->>'app'),
     top_apps AS (SELECT slot_start, jsonb_agg(jsonb_build_object('app', app, 'seconds', seconds) ORDER BY rank) AS apps
                    FROM apps WHERE rank <= 3 GROUP BY slot_start),
     slot_projects AS (SELECT DISTINCT ON (slot_start) slot_start, project_id FROM m WHERE project_id IS NOT NULL
                   GROUP BY slot_start, project_id ORDER BY slot_start, sum(tracked_seconds) DESC, project_id)
     SELECT s.slot_start, s.label, s.tracked, s.active,
            coalesce(t.apps, '[]'::jsonb) AS top_apps,
            p.project_id, pr.name AS project_name
       FROM slots s
       LEFT JOIN top_apps t ON t.slot_start = s.slot_start
       LEFT JOIN slot_projects p ON p.slot_start = s.slot_start
       LEFT JOIN projects pr ON pr.id = p.project_id
      ORDER BY s.slot_start`,
    values: [userId, date, tz, orgId],
  });
  return r.rows;
}

/**
 * The same slots as daySlots, summed from the 5-minute rollup buckets (activity_rollups), or null
 * when the viewer's zone does not split the day on bucket boundaries (an offset that is not a
 * multiple of 5 minutes, or an offset change inside a bucket): the caller reads the raw minutes.
 * Ties break as in daySlots (apps by seconds then name, projects by tracked seconds then id).
 */
export async function daySlotsFromRollups(q: Queryable, orgId: string, userId: string, date: string, tz: string): Promise<SlotRow[] | null> {
  const r = await q.query<SlotRow & { day_aligned: boolean; aligned: boolean | null }>({
    name: 'timeline-day-slots-rollups',
    text: `WITH day AS (SELECT ($2::date::timestamp AT TIME ZONE $3) AS lo, (($2::date + 1)::timestamp AT TIME ZONE $3) AS hi),
     r AS (
       SELECT ${slotStartUtc('r.bucket_start')} AS slot_start, ${slotLabel} AS label,
              r.tracked_seconds, r.active_seconds, r.apps, r.entries,
              -- the bucket's last minute is 4 minutes on, at the same offset, in the same slot
              (r.bucket_start + interval '4 minutes') AT TIME ZONE $3 = z.local + interval '4 minutes'
                AND z.local + interval '4 minutes' < b.slot_local + interval '10 minutes' AS aligned
         FROM day, activity_rollups r
         ${zoned('r.bucket_start')}
        WHERE r.org_id = $4 AND r.user_id = $1 AND r.bucket_start >= day.lo AND r.bucket_start < day.hi),
     slots AS (SELECT slot_start, min(label) AS label, sum(tracked_seconds)::int AS tracked, sum(active_seconds)::int AS active,
                      bool_and(aligned) AS aligned
                 FROM r GROUP BY slot_start),
     apps AS (SELECT slot_start, a.key AS app, sum(a.value::int)::int AS seconds,
                     row_number() OVER (PARTITION BY slot_start ORDER BY sum(a.value::int) DESC, a.key) AS rank
                FROM r, jsonb_each_text(r.apps) a GROUP BY slot_start, a.key),
     top_apps AS (SELECT slot_start, jsonb_agg(jsonb_build_object('app', app, 'seconds', seconds) ORDER BY rank) AS apps
                    FROM apps WHERE rank <= 3 GROUP BY slot_start),
     slot_projects AS (SELECT DISTINCT ON (r.slot_start) r.slot_start, e.project_id
                         FROM r, jsonb_each_text(r.entries) x
                         JOIN time_entries e ON e.id = x.key::uuid AND e.org_id = $4 AND e.user_id = $1
                        GROUP BY r.slot_start, e.project_id ORDER BY r.slot_start, sum(x.value::int) DESC, e.project_id),
     rows AS (SELECT s.slot_start, s.label, s.tracked, s.active, s.aligned,
                     coalesce(t.apps, '[]'::jsonb) AS top_apps, p.project_id, pr.name AS project_name
                FROM slots s
                LEFT JOIN top_apps t ON t.slot_start = s.slot_start
                LEFT JOIN slot_projects p ON p.slot_start = s.slot_start
                LEFT JOIN projects pr ON pr.id = p.project_id)
     SELECT extract(epoch FROM day.lo)::bigint % 300 = 0 AND extract(epoch FROM day.hi)::bigint % 300 = 0 AS day_aligned, rows.*
       FROM day LEFT JOIN rows ON true
      ORDER BY rows.slot_start`,
    values: [userId, date, tz, orgId],
  });
  if (r.rows.some((row) => !row.day_aligned || row.aligned === false)) return null;
  return r.rows.filter((row) => row.slot_start !== null).map(({ day_aligned: _d, aligned: _a, ...row }) => row);
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
  const r = await q.query<DayShotRow>({
    name: 'timeline-day-screenshots',
    text: `SELECT ${slotStartUtc('s.taken_at')} AS slot_start, ${slotLabel} AS label,
            s.id, s.org_id, s.taken_at, s.display_id, s.width, s.height, s.thumb_key
       FROM screenshots s
       ${zoned('s.taken_at')}
      WHERE s.org_id = $4 AND s.user_id = $1 AND s.state IN ('stored', 'verified')
        AND s.taken_at >= ($2::date::timestamp AT TIME ZONE $3) AND s.taken_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
      ORDER BY s.taken_at`,
    values: [userId, date, tz, orgId],
  });
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
       LEFT JOIN time_entries e ON e.id = m.entry_id AND e.org_id = m.org_id AND e.user_id = m.user_id
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

export interface TeamNowRow {
  id: string;
  name: string;
  entry_id: string | null;
  project_id: string | null;
  project_name: string | null;
  started_at: Date | null;
  last_seen_at: Date | null;
}

/** Each visible user (ids null: all) with their latest open entry and when they were last seen. */
export async function teamNowRows(q: Queryable, orgId: string, ids: string[] | null, now: Date): Promise<TeamNowRow[]> {
  const r = await q.query<TeamNowRow>(
    `SELECT u.id, u.name, e.id AS entry_id, e.project_id, p.name AS project_name, e.started_at,
            -- capped at now: a minute flushed before it was over (a clean stop) would be seen in the future
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
    [orgId, ids, now],
  );
  return r.rows;
}
