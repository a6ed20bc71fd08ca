import type { Queryable } from './db';

/** A legacy screenshot ready to become a Stint row (its object already verified in the store). */
export interface MigratedShot {
  legacyId: string;
  id: string;
  orgId: string;
  userId: string;
  deviceId: string;
  takenAt: Date;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  md5: string;
  contentType: string;
  objectKey: string;
}

/**
 * Stint's side of `migrate:legacy` (see migrations/005_legacy_migration.sql). Runs as the owner
 * in system transactions: one migration crosses orgs.
 */
export async function lastCheckpoint(q: Queryable, source: string): Promise<string | null> {
  const r = await q.query<{ last_id: string }>(`SELECT last_id FROM legacy_checkpoints WHERE source = $1`, [source]);
  return r.rows[0]?.last_id ?? null;
}

export async function saveCheckpoint(q: Queryable, source: string, lastId: string): Promise<void> {
  await q.query(
    `INSERT INTO legacy_checkpoints (source, last_id) VALUES ($1, $2)
     ON CONFLICT (source) DO UPDATE SET last_id = EXCLUDED.last_id, updated_at = now()`,
    [source, lastId],
  );
}

/** A finished pass: the next run scans from the start (rows inserted meanwhile may sort anywhere). */
export async function clearCheckpoint(q: Queryable, source: string): Promise<void> {
  await q.query(`DELETE FROM legacy_checkpoints WHERE source = $1`, [source]);
}

/** Which of these legacy ids were migrated or skipped already. */
export async function handledIds(q: Queryable, source: string, ids: string[]): Promise<Set<string>> {
  const r = await q.query<{ legacy_id: string }>(
    `SELECT legacy_id FROM legacy_migrated WHERE source = $1 AND legacy_id = ANY($2::text[])
     UNION ALL SELECT legacy_id FROM legacy_skipped WHERE source = $1 AND legacy_id = ANY($2::text[])`,
    [source, ids],
  );
  return new Set(r.rows.map((x) => x.legacy_id));
}

/** The orgs of these Stint users (a legacy row of an unknown user cannot be moved). */
export async function orgsOfUsers(q: Queryable, userIds: string[]): Promise<Map<string, string>> {
  const uuids = userIds.filter((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(u));
  const r = await q.query<{ id: string; org_id: string }>(`SELECT id, org_id FROM users WHERE id = ANY($1::uuid[])`, [uuids]);
  return new Map(r.rows.map((x) => [x.id, x.org_id]));
}

/** Screenshot ids Stint already holds (a device's, another source's) with their sha256, and tombstoned ids. */
export async function existingShots(q: Queryable, ids: string[]): Promise<{ rows: Map<string, string>; tombstoned: Set<string> }> {
  const [rows, dead] = await Promise.all([
    q.query<{ id: string; sha256: string }>(`SELECT id, sha256 FROM screenshots WHERE id = ANY($1::uuid[])`, [ids]),
    q.query<{ id: string }>(`SELECT id FROM screenshot_tombstones WHERE id = ANY($1::uuid[])`, [ids]),
  ]);
  return { rows: new Map(rows.rows.map((x) => [x.id, x.sha256])), tombstoned: new Set(dead.rows.map((x) => x.id)) };
}

export async function addPendingObjects(q: Queryable, source: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(`INSERT INTO legacy_pending_objects (object_key, source) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`, [keys, source]);
}

/** Objects a killed run was writing, and whether a screenshot row points at each. */
export async function leftoverObjects(q: Queryable, source: string): Promise<Array<{ key: string; referenced: boolean }>> {
  const r = await q.query<{ object_key: string; referenced: boolean }>(
    `SELECT p.object_key, EXISTS (SELECT 1 FROM screenshots s WHERE s.object_key = p.object_key) AS referenced
       FROM legacy_pending_objects p WHERE p.source = $1`,
    [source],
  );
  return r.rows.map((x) => ({ key: x.object_key, referenced: x.referenced }));
}

export async function dropPendingObjects(q: Queryable, keys: string[]): Promise<void> {
  if (keys.length) await q.query(`DELETE FROM legacy_pending_objects WHERE object_key = ANY($1::text[])`, [keys]);
}

/**
 * Inserts the screenshot rows (state `stored`: the object is verified; the job makes the
 * thumbnail) and the ledger rows. An id another writer stored meanwhile is left as it is.
 */
export async function insertMigrated(q: Queryable, source: string, shots: MigratedShot[]): Promise<void> {
  if (shots.length === 0) return;
  const col = <K extends keyof MigratedShot>(k: K) => shots.map((s) => s[k]);
  await q.query(
    `INSERT INTO screenshots (id, org_id, user_id, device_id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5,
                              content_type, object_key, state, completed_at)
     SELECT u.id, u.org_id, u.user_id, u.device_id, NULL, u.taken_at, 'legacy', u.width, u.height, u.bytes, u.sha256, u.md5,
            u.content_type, u.object_key, 'stored', now()
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::int[], $7::int[], $8::int[], $9::text[],
                   $10::text[], $11::text[], $12::text[])
         AS u(id, org_id, user_id, device_id, taken_at, width, height, bytes, sha256, md5, content_type, object_key)
     ON CONFLICT (id) DO NOTHING`,
    [col('id'), col('orgId'), col('userId'), col('deviceId'), col('takenAt'), col('width'), col('height'), col('bytes'), col('sha256'), col('md5'), col('contentType'), col('objectKey')],
  );
  await q.query(
    `INSERT INTO legacy_migrated (source, legacy_id, screenshot_id, sha256, bytes)
     SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::int[]) ON CONFLICT DO NOTHING`,
    [source, col('legacyId'), col('id'), col('sha256'), col('bytes')],
  );
}

export async function recordSkipped(q: Queryable, source: string, skips: Array<{ legacyId: string; reason: string }>): Promise<void> {
  if (skips.length === 0) return;
  await q.query(
    `INSERT INTO legacy_skipped (source, legacy_id, reason) SELECT $1, * FROM unnest($2::text[], $3::text[])
     ON CONFLICT (source, legacy_id) DO UPDATE SET reason = EXCLUDED.reason, at = now()`,
    [source, skips.map((s) => s.legacyId), skips.map((s) => s.reason)],
  );
}

export async function skippedRows(q: Queryable, source: string): Promise<Array<{ legacyId: string; reason: string }>> {
  const r = await q.query<{ legacy_id: string; reason: string }>(`SELECT legacy_id, reason FROM legacy_skipped WHERE source = $1 ORDER BY at, legacy_id`, [source]);
  return r.rows.map((x) => ({ legacyId: x.legacy_id, reason: x.reason }));
}

/** Migrated legacy ids not yet pruned, in id order after `after` (text order: pruning needs no order). */
export async function unprunedIds(q: Queryable, source: string, after: string, limit: number): Promise<string[]> {
  const r = await q.query<{ legacy_id: string }>(
    `SELECT legacy_id FROM legacy_migrated WHERE source = $1 AND pruned_at IS NULL AND legacy_id > $2 ORDER BY legacy_id LIMIT $3`,
    [source, after, limit],
  );
  return r.rows.map((x) => x.legacy_id);
}

export async function markPruned(q: Queryable, source: string, ids: string[]): Promise<void> {
  await q.query(`UPDATE legacy_migrated SET pruned_at = now() WHERE source = $1 AND legacy_id = ANY($2::text[])`, [source, ids]);
}

/** Held for the run on its own connection: two migrations of one source never interleave. */
export async function tryLockSource(q: Queryable, source: string): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext('stint.legacy:' || $1)) AS ok`, [source]);
  return r.rows[0]?.ok === true;
}

export async function unlockSource(q: Queryable, source: string): Promise<void> {
  await q.query(`SELECT pg_advisory_unlock(hashtext('stint.legacy:' || $1))`, [source]);
}
