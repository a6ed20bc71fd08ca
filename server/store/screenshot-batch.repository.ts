import type { Queryable } from './db';
import type { NewScreenshot, ScreenshotRow } from './screenshots.repository';

const COLUMNS = ['id', 'org_id', 'user_id', 'device_id', 'entry_id', 'taken_at', 'display_id', 'width', 'height', 'bytes', 'sha256', 'md5', 'content_type', 'object_key'] as const;
const TYPES = ['uuid', 'uuid', 'uuid', 'uuid', 'uuid', 'timestamptz', 'text', 'int', 'int', 'int', 'text', 'text', 'text', 'text'];

/**
 * Inserts every row whose id is new (one statement for the batch) and returns all of them as they
 * now are, by id. Ids inserted concurrently by another request are read again by a fresh statement
 * (the insert's snapshot predates them); an id another org holds is absent from the result.
 */
export async function upsertPendingMany(q: Queryable, rows: NewScreenshot[]): Promise<Map<string, ScreenshotRow>> {
  const byId = new Map<string, ScreenshotRow>();
  if (!rows.length) return byId;
  const columns = COLUMNS.map((c) => rows.map((r) => r[c]));
  const unnest = TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const inserted = await q.query<ScreenshotRow>(
    `INSERT INTO screenshots (${COLUMNS.join(', ')}) SELECT * FROM unnest(${unnest}) ON CONFLICT (id) DO NOTHING RETURNING *`,
    columns,
  );
  for (const row of inserted.rows) byId.set(row.id, row);
  const rest = rows.map((r) => r.id).filter((id) => !byId.has(id));
  for (const row of await findScreenshots(q, rest)) byId.set(row.id, row);
  return byId;
}

export async function findScreenshots(q: Queryable, ids: string[]): Promise<ScreenshotRow[]> {
  if (!ids.length) return [];
  return (await q.query<ScreenshotRow>(`SELECT * FROM screenshots WHERE id = ANY($1::uuid[])`, [ids])).rows;
}

/** The ids among `ids` this user deleted, with the object key each was given. */
export async function findTombstones(q: Queryable, ids: string[], userId: string): Promise<Map<string, string | null>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ id: string; object_key: string | null }>(
    `SELECT id, object_key FROM screenshot_tombstones WHERE id = ANY($1::uuid[]) AND user_id = $2`,
    [ids, userId],
  );
  return new Map(r.rows.map((t) => [t.id, t.object_key]));
}

/** Rows of this org and user among `ids` (a system transaction: the filter is explicit). */
export async function findOwnScreenshots(q: Queryable, orgId: string, userId: string, ids: string[]): Promise<ScreenshotRow[]> {
  const r = await q.query<ScreenshotRow>(`SELECT * FROM screenshots WHERE org_id = $1 AND user_id = $2 AND id = ANY($3::uuid[])`, [orgId, userId, ids]);
  return r.rows;
}

/** pending | missing → received for these ids; returns the ids this call moved (not those another request did). */
export async function markReceived(q: Queryable, orgId: string, ids: string[], at: Date): Promise<string[]> {
  if (!ids.length) return [];
  const r = await q.query<{ id: string }>(
    `UPDATE screenshots SET state = 'received', completed_at = $3 WHERE org_id = $1 AND id = ANY($2::uuid[]) AND state IN ('pending', 'missing') RETURNING id`,
    [orgId, ids, at],
  );
  return r.rows.map((x) => x.id);
}

/** received → missing: the worker found no object. False when the row changed meanwhile. */
export async function markMissing(q: Queryable, id: string): Promise<boolean> {
  const r = await q.query(`UPDATE screenshots SET state = 'missing' WHERE id = $1 AND state = 'received'`, [id]);
  return r.rowCount === 1;
}
