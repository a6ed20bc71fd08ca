import type { Queryable } from './db';

export interface EnrollmentTokenRow {
  id: string;
  org_id: string;
  user_id: string;
  expires_at: Date;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  max_devices: number | null;
  enrolled_devices: number;
}

export async function insertEnrollmentToken(
  q: Queryable,
  t: { id: string; orgId: string; userId: string; tokenHash: Buffer; expiresAt: Date; createdBy: string | null; maxDevices: number | null },
): Promise<void> {
  await q.query(
    `INSERT INTO enrollment_tokens (id, org_id, user_id, token_hash, expires_at, created_by, max_devices) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.id, t.orgId, t.userId, t.tokenHash, t.expiresAt, t.createdBy, t.maxDevices],
  );
}

/** Cross-org (system transaction): the token by its hash, and whose and whether revoked the device id is. */
export async function findGrant(q: Queryable, tokenHash: Buffer, deviceId: string) {
  const r = await q.query<EnrollmentTokenRow & { device_owner: string | null; device_revoked_at: Date | null }>(
    `SELECT t.*, d.user_id AS device_owner, d.revoked_at AS device_revoked_at
       FROM enrollment_tokens t LEFT JOIN devices d ON d.id = $2
      WHERE t.token_hash = $1`,
    [tokenHash, deviceId],
  );
  return r.rows[0] ?? null;
}

/**
 * Counts one more device against the token, under its row lock; null when the token is at its
 * limit or was revoked meanwhile.
 */
export async function countEnrolledDevice(q: Queryable, id: string): Promise<EnrollmentTokenRow | null> {
  const r = await q.query<EnrollmentTokenRow>(
    `UPDATE enrollment_tokens SET enrolled_devices = enrolled_devices + 1
      WHERE id = $1 AND revoked_at IS NULL AND (max_devices IS NULL OR enrolled_devices < max_devices)
      RETURNING *`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function listEnrollmentTokens(q: Queryable, orgId: string): Promise<EnrollmentTokenRow[]> {
  const r = await q.query<EnrollmentTokenRow>(
    `SELECT id, org_id, user_id, expires_at, created_by, created_at, revoked_at, max_devices, enrolled_devices
       FROM enrollment_tokens WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT 1000`,
    [orgId],
  );
  return r.rows;
}

/** Revokes the org's token (idempotent); false when the org has no such token. */
export async function revokeEnrollmentToken(q: Queryable, orgId: string, id: string, at: Date): Promise<boolean> {
  const r = await q.query(`UPDATE enrollment_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND org_id = $2`, [id, orgId, at]);
  return r.rowCount === 1;
}
