import type { Db } from '../../server/store/db';

/**
 * Fills the org with `users` employees × `days` days of history, bulk-made in SQL: one entry per
 * day (09:00–17:00 UTC), an activity row per minute and a verified screenshot every 10 minutes.
 */
export async function seedHistory(db: Db, p: { orgId: string; projectId: string; users: number; days: number; lastDay: string }): Promise<{ userIds: string[]; minutes: number; screenshots: number }> {
  return db.system(async (tx) => {
    const users = await tx.query<{ id: string }>(
      `INSERT INTO users (id, org_id, email, name, role, time_zone)
       SELECT gen_random_uuid(), $1, 'bench' || g || '-' || substr(md5(random()::text), 1, 6) || '@bench.test', 'Bench ' || g, 'employee', 'UTC'
         FROM generate_series(1, $2) g RETURNING id`,
      [p.orgId, p.users],
    );
    const ids = users.rows.map((r) => r.id);
    await tx.query(
      `INSERT INTO time_entries (id, org_id, user_id, device_id, project_id, started_at, ended_at, stop_reason)
       SELECT gen_random_uuid(), $1, u, u, $2, d + interval '9 hours', d + interval '17 hours', 'user'
         FROM unnest($3::uuid[]) u, generate_series($4::date - ($5::int - 1), $4::date, interval '1 day') d`,
      [p.orgId, p.projectId, ids, p.lastDay, p.days],
    );
    const minutes = await tx.query(
      `INSERT INTO activity_minutes (id, org_id, user_id, device_id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
       SELECT gen_random_uuid(), e.org_id, e.user_id, e.device_id, e.id, e.started_at + m * interval '1 minute', (random() * 60)::int, 60,
              '[{"app":"editor","seconds":40},{"app":"browser","seconds":20}]'::jsonb
         FROM time_entries e, generate_series(0, 479) m
        WHERE e.org_id = $1 AND e.user_id = ANY($2::uuid[])`,
      [p.orgId, ids],
    );
    const shots = await tx.query(
      `INSERT INTO screenshots (id, org_id, user_id, device_id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5,
                                content_type, object_key, thumb_key, state, completed_at, verified_at)
       SELECT s.id, s.org_id, s.user_id, s.device_id, s.entry_id, s.taken, 'display-0', 1920, 1080, 93200, repeat('0', 64), 'AAAAAAAAAAAAAAAAAAAAAA==',
              'image/webp', s.prefix || '.webp', s.prefix || '.thumb.webp', 'verified', s.taken, s.taken
         FROM (SELECT x.*, 'org/' || x.org_id || '/user/' || x.user_id || '/' || to_char(x.taken AT TIME ZONE 'UTC', 'YYYY/MM/DD') || '/' || x.id AS prefix
                 FROM (SELECT gen_random_uuid() AS id, e.org_id, e.user_id, e.device_id, e.id AS entry_id,
                              e.started_at + k * interval '10 minutes' + interval '3 minutes' AS taken
                         FROM time_entries e, generate_series(0, 47) k
                        WHERE e.org_id = $1 AND e.user_id = ANY($2::uuid[])) x) s`,
      [p.orgId, ids],
    );
    return { userIds: ids, minutes: minutes.rowCount ?? 0, screenshots: shots.rowCount ?? 0 };
  });
}
