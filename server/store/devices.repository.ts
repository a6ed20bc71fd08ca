import type { Queryable } from './db';

export interface DeviceRow {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  platform: string;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
}

/** Enrolls (or re-enrolls, with a fresh credential) a device that is not revoked. */
export async function upsertEnrolledDevice(
  q: Queryable,
  d: { id: string; orgId: string; userId: string; name: string; platform: string; tokenHash: Buffer; now: Date },
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO devices (id, org_id, user_id, name, platform, token_hash, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform,
       token_hash = excluded.token_hash, last_seen_at = excluded.last_seen_at
     WHERE devices.revoked_at IS NULL AND devices.user_id = excluded.user_id`,
    [d.id, d.orgId, d.userId, d.name, d.platform, d.tokenHash, d.now],
  );
  return r.rowCount === 1;
}

/** A device password sign-in met first: registered with a credential nobody holds. */
export async function insertSignedInDevice(q: Queryable, d: { id: string; orgId: string; userId: string; tokenHash: Buffer; now: Date }): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO devices (id, org_id, user_id, name, platform, token_hash, last_seen_at)
     VALUES ($1, $2, $3, 'signed-in device', 'unknown', $4, $5) ON CONFLICT (id) DO NOTHING`,
    [d.id, d.orgId, d.userId, d.tokenHash, d.now],
  );
  return r.rowCount === 1;
}

/** Cross-org (system transaction): the device whose credential this is, marking it seen. */
export async function touchDeviceByCredential(q: Queryable, id: string, tokenHash: Buffer, now: Date) {
  const r = await q.query<{ org_id: string; user_id: string; revoked_at: Date | null }>(
    `UPDATE devices SET last_seen_at = $3 WHERE id = $1 AND token_hash = $2 RETURNING org_id, user_id, revoked_at`,
    [id, tokenHash, now],
  );
  return r.rows[0] ?? null;
}

export async function findDevice(q: Queryable, orgId: string, id: string): Promise<DeviceRow | null> {
  const r = await q.query<DeviceRow>(`SELECT * FROM devices WHERE id = $1 AND org_id = $2`, [id, orgId]);
  return r.rows[0] ?? null;
}

export async function listDeviceRows(q: Queryable, orgId: string, userId: string | null): Promise<DeviceRow[]> {
  const r = userId
    ? await q.query<DeviceRow>(`SELECT * FROM devices WHERE org_id = $1 AND user_id = $2 ORDER BY created_at`, [orgId, userId])
    : await q.query<DeviceRow>(`SELECT * FROM devices WHERE org_id = $1 ORDER BY created_at`, [orgId]);
  return r.rows;
}

export async function markDeviceRevoked(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, [id, at]);
}

/** Cross-org, by primary key: true when the device is revoked or gone. */
export async function isDeviceRevoked(q: Queryable, id: string): Promise<boolean> {
  const r = await q.query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM devices WHERE id = $1`, [id]);
  return r.rows[0]?.revoked ?? true;
}

export async function markDeviceSeen(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE devices SET last_seen_at = $2 WHERE id = $1`, [id, at]);
}
