import type { Queryable } from './db';

/** Rollup buckets are this long, on UTC boundaries (server/migrations/006_activity_rollups.sql). */
export const ROLLUP_BUCKET_MS = 5 * 60_000;

/**
 * The instants a transaction's writes touched, as half-open ranges, widened to whole buckets and
 * merged, so the refresh recomputes each touched bucket once.
 */
export class TouchedBuckets {
  private readonly ranges: Array<[number, number]> = [];

  /** [from, to): an activity minute is [start, start + 1 min), an idle span [started, ended). */
  add(from: Date, to: Date): void {
    const lo = from.getTime();
    const hi = to.getTime();
    if (!(hi > lo)) return;
    const start = Math.floor(lo / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    const end = Math.ceil(hi / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    this.ranges.push([start, end]);
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** Sorted, non-overlapping bucket ranges (adjacent ones joined). */
  merged(): Array<{ from: Date; to: Date }> {
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0]);
    const out: Array<[number, number]> = [];
    for (const [lo, hi] of sorted) {
      const last = out.at(-1);
      if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return out.map(([lo, hi]) => ({ from: new Date(lo), to: new Date(hi) }));
  }
}

/**
 * Recomputes the user's buckets in the touched ranges from the raw minutes, in the caller's
 * transaction (serialised per user by the function's advisory lock).
 */
export async function refreshActivityRollups(q: Queryable, orgId: string, userId: string, touched: TouchedBuckets): Promise<void> {
  if (touched.empty) return;
  const ranges = touched.merged();
  await q.query('SELECT stint_refresh_activity_rollups($1, $2, $3::timestamptz[], $4::timestamptz[])', [
    orgId,
    userId,
    ranges.map((r) => r.from),
    ranges.map((r) => r.to),
  ]);
}

/**
 * Takes the lock a refresh of this user's buckets takes, until the transaction ends. Erasure
 * takes it before deleting the minutes: a push that refreshes first is then erased whole, and one
 * that refreshes after counts only the minutes it brought.
 */
export async function lockActivityRollups(q: Queryable, userId: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('stint.activity_rollups'), hashtext($1::text))`, [userId]);
}

/** Rebuilds every bucket from the raw minutes (after a bulk load that bypassed the ingest path, as the bench's seed). */
export async function rebuildActivityRollups(q: Queryable): Promise<void> {
  await q.query('DELETE FROM activity_rollups');
  await q.query(
    `SELECT stint_compute_activity_rollups(org_id, user_id,
              ARRAY[date_bin('5 minutes', min(minute_start), timestamptz '2000-01-01 00:00:00+00')],
              ARRAY[date_bin('5 minutes', max(minute_start), timestamptz '2000-01-01 00:00:00+00') + interval '5 minutes'])
       FROM activity_minutes GROUP BY org_id, user_id`,
  );
}
