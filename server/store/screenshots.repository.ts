import type { Queryable } from './db';

export interface ScreenshotRow {
  id: string;
  org_id: string;
  user_id: string;
  device_id: string;
  entry_id: string | null;
  taken_at: Date;
  display_id: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  md5: string;
  content_type: string;
  object_key: string;
  thumb_key: string | null;
  state: ScreenshotState;
  completed_at: Date | null;
}

/**
 * pending: declared, no upload confirmed. received: the device confirmed its PUT in a batch, the
 * worker has not checked the object yet. missing: the worker found no object. stored: confirmed
 * with the server's HEAD. verified / corrupt: the worker decoded it (or could not).
 */
export type ScreenshotState = 'pending' | 'received' | 'missing' | 'stored' | 'verified' | 'corrupt';

/** States whose object the server has seen: the only ones shown or linked to anyone. */
export function hasObject(state: ScreenshotState): boolean {
  return state === 'stored' || state === 'verified' || state === 'corrupt';
}

/** States that still want the device's bytes (a declaration answers with a presigned PUT). */
export function wantsUpload(state: ScreenshotState): boolean {
  return state === 'pending' || state === 'missing';
}

export type NewScreenshot = Omit<ScreenshotRow, 'thumb_key' | 'state' | 'completed_at'>;

/**
 * Inserts unless the id exists; returns the row as it now is (null: the id is another org's).
 * One round trip, two when a concurrent declaration of the same id inserted it first: the
 * statement's snapshot predates that row, so it is read again by a fresh statement.
 */
export async function upsertPending(q: Queryable, s: NewScreenshot): Promise<ScreenshotRow | null> {
  const r = await q.query<ScreenshotRow>(
    `WITH ins AS (
       INSERT INTO screenshots (id, org_id, user_id, device_id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5, content_type, object_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING RETURNING *)
     SELECT * FROM ins UNION ALL SELECT * FROM screenshots WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM ins)`,
    [s.id, s.org_id, s.user_id, s.device_id, s.entry_id, s.taken_at, s.display_id, s.width, s.height, s.bytes, s.sha256, s.md5, s.content_type, s.object_key],
  );
  return r.rows[0] ?? (await findScreenshot(q, s.id));
}

export async function findScreenshot(q: Queryable, id: string, lock = false): Promise<ScreenshotRow | null> {
  const r = await q.query<ScreenshotRow>(`SELECT * FROM screenshots WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** pending → stored; false when another request got there first. */
export async function markStored(q: Queryable, orgId: string, id: string, at: Date): Promise<boolean> {
  const r = await q.query(`UPDATE screenshots SET state = 'stored', completed_at = $3 WHERE id = $1 AND org_id = $2 AND state IN ('pending', 'missing')`, [id, orgId, at]);
  return r.rowCount === 1;
}

/** Records the job's verdict; false when the row was deleted meanwhile. */
export async function markProcessed(q: Queryable, id: string, thumbKey: string | null, ok: boolean, at: Date): Promise<boolean> {
  const r = await q.query(`UPDATE screenshots SET state = $2, thumb_key = $3, verified_at = $4 WHERE id = $1`, [id, ok ? 'verified' : 'corrupt', thumbKey, at]);
  return r.rowCount === 1;
}

/**
 * Deletes the rows; returns how many and the object keys they pointed at when deleted. A thumbnail the job
 * recorded after the caller read the row (and deleted its objects) shows up here.
 */
export async function deleteScreenshotRows(q: Queryable, where: { ids: string[] } | { orgId: string; userId: string }): Promise<{ count: number; keys: string[] }> {
  const r =
    'ids' in where
      ? await q.query<{ object_key: string; thumb_key: string | null }>(`DELETE FROM screenshots WHERE id = ANY($1::uuid[]) RETURNING object_key, thumb_key`, [where.ids])
      : await q.query<{ object_key: string; thumb_key: string | null }>(`DELETE FROM screenshots WHERE org_id = $1 AND user_id = $2 RETURNING object_key, thumb_key`, [where.orgId, where.userId]);
  return { count: r.rows.length, keys: r.rows.flatMap((x) => [x.object_key, ...(x.thumb_key ? [x.thumb_key] : [])]) };
}

/** Object keys of `after` not in `before`: what appeared between reading the rows and deleting them. */
export function lateKeys(before: string[], after: string[]): string[] {
  const seen = new Set(before);
  return after.filter((k) => !seen.has(k));
}

export async function findTombstone(q: Queryable, id: string, userId: string): Promise<{ object_key: string | null } | null> {
  const r = await q.query<{ object_key: string | null }>(`SELECT object_key FROM screenshot_tombstones WHERE id = $1 AND user_id = $2`, [id, userId]);
  return r.rows[0] ?? null;
}

/** Remembers a deleted id (and the object key handed out for it) so it is never stored later. */
export async function insertTombstone(q: Queryable, t: { id: string; orgId: string; userId: string; objectKey: string | null; deletedAt: Date }): Promise<void> {
  await q.query(
    `INSERT INTO screenshot_tombstones (id, org_id, user_id, object_key, deleted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
    [t.id, t.orgId, t.userId, t.objectKey, t.deletedAt],
  );
}

/** Cross-org (system transaction): tombstones deleted before `cutoff`, oldest first. */
export async function expiredTombstones(q: Queryable, cutoff: Date, limit: number): Promise<Array<{ id: string; object_key: string | null }>> {
  const r = await q.query<{ id: string; object_key: string | null }>(
    `SELECT id, object_key FROM screenshot_tombstones WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2`,
    [cutoff, limit],
  );
  return r.rows;
}

export async function deleteTombstones(q: Queryable, ids: string[]): Promise<void> {
  await q.query(`DELETE FROM screenshot_tombstones WHERE id = ANY($1::uuid[])`, [ids]);
}
