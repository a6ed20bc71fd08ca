import type { DeviceReport } from '../../src/shared/http/fleet';
import type { Queryable } from './db';

/** A device's last report, kept only when it is newer than the one stored (a replayed push never rolls it back). */
export async function saveDeviceReport(q: Queryable, deviceId: string, sentAt: Date, r: DeviceReport): Promise<void> {
  await q.query(
    `UPDATE devices SET app_version = $3, report_sent_at = $2, queued_screenshots = $4, queued_ops = $5, dead_letters = $6,
       oldest_unsynced_at = $7, policy_error = $8
     WHERE id = $1 AND (report_sent_at IS NULL OR report_sent_at <= $2)`,
    [deviceId, sentAt, r.appVersion, r.queue.screenshots, r.queue.ops, r.queue.deadLetters, r.queue.oldestUnsyncedAt, r.policyError],
  );
}

export interface FleetRow {
  id: string;
  name: string;
  platform: string;
  user_id: string;
  user_name: string;
  user_email: string;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
  app_version: string | null;
  report_sent_at: Date | null;
  queued_screenshots: number | null;
  queued_ops: number | null;
  dead_letters: number | null;
  oldest_unsynced_at: Date | null;
  policy_error: string | null;
}

/** Every device of one org with its owner: the ones holding unsynced work the longest first, then by last seen. */
export async function listFleetRows(q: Queryable, orgId: string): Promise<FleetRow[]> {
  const r = await q.query<FleetRow>(
    `SELECT d.id, d.name, d.platform, d.user_id, u.name AS user_name, u.email AS user_email, d.created_at, d.last_seen_at,
            d.revoked_at, d.app_version, d.report_sent_at, d.queued_screenshots, d.queued_ops, d.dead_letters,
            d.oldest_unsynced_at, d.policy_error
       FROM devices d JOIN users u ON u.id = d.user_id AND u.org_id = d.org_id
      WHERE d.org_id = $1
      ORDER BY d.revoked_at IS NOT NULL, d.oldest_unsynced_at ASC NULLS LAST, d.last_seen_at DESC NULLS LAST, d.id`,
    [orgId],
  );
  return r.rows;
}
