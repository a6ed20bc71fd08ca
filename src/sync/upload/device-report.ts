import type { DeviceReport } from '../../shared/http/fleet';
import type { Db } from '../db/open-db';

/** What the device says about itself in a push, besides its queue (see deviceReport). */
export interface DeviceFacts {
  appVersion: string;
  /** Why IT's policy file was not applied, or null. */
  policyError: () => string | null;
}

/**
 * The device's report for IT's fleet view, as it will be once the push carrying it is applied:
 * the ops of that push (`sending`) are left out, everything else waiting is counted.
 */
export function deviceReport(db: Db, facts: DeviceFacts, sending: readonly string[]): DeviceReport {
  const row = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM screenshots WHERE state IN ('captured', 'uploading')) AS screenshots,
         (SELECT count(*) FROM ops WHERE state IN ('pending', 'sending') AND id NOT IN (SELECT value FROM json_each(@sending))) AS ops,
         (SELECT count(*) FROM screenshots WHERE state = 'dead') + (SELECT count(*) FROM ops WHERE state = 'dead') AS dead,
         min(coalesce((SELECT min(taken_at) FROM screenshots WHERE state IN ('captured', 'uploading')), 9e15),
             coalesce((SELECT min(created_at) FROM ops WHERE state IN ('pending', 'sending') AND id NOT IN (SELECT value FROM json_each(@sending))), 9e15)) AS oldest`,
    )
    .get({ sending: JSON.stringify(sending) }) as { screenshots: number; ops: number; dead: number; oldest: number | null };
  const oldest = row.oldest === null || row.oldest >= 9e15 ? null : new Date(row.oldest).toISOString();
  return {
    appVersion: facts.appVersion,
    queue: { screenshots: row.screenshots, ops: row.ops, deadLetters: row.dead, oldestUnsyncedAt: oldest },
    policyError: facts.policyError()?.slice(0, 2000) ?? null,
  };
}
