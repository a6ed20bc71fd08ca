import type { Queryable } from './db';

/** Deletes up to `limit` push-op receipts applied before `cutoff`; returns how many. */
export async function deleteOpReceiptsBefore(tx: Queryable, cutoff: Date, limit: number): Promise<number> {
  return (await tx.query(`DELETE FROM sync_ops WHERE id IN (SELECT id FROM sync_ops WHERE applied_at < $1 LIMIT ${Number(limit)})`, [cutoff])).rowCount ?? 0;
}

export async function orgsWithRetention(tx: Queryable): Promise<Array<{ id: string; retention_days: number }>> {
  return (await tx.query<{ id: string; retention_days: number }>(`SELECT id, retention_days FROM orgs WHERE retention_days IS NOT NULL`)).rows;
}

export async function screenshotsTakenBefore(
  tx: Queryable,
  orgId: string,
  cutoff: Date,
  limit: number,
): Promise<Array<{ id: string; object_key: string; thumb_key: string | null }>> {
  return (
    await tx.query<{ id: string; object_key: string; thumb_key: string | null }>(
      `SELECT id, object_key, thumb_key FROM screenshots WHERE org_id = $1 AND taken_at < $2 LIMIT ${Number(limit)}`,
      [orgId, cutoff],
    )
  ).rows;
}
