import type { ServiceContext } from '../services/context';
import { audit } from '../services/audit';

const BATCH = 500;

/** Purges screenshots older than each org's retention policy (objects first, then rows). */
export async function purgeExpiredScreenshots(ctx: ServiceContext): Promise<number> {
  const orgs = await ctx.db.system(
    async (tx) =>
      (await tx.query<{ id: string; retention_days: number }>(`SELECT id, retention_days FROM orgs WHERE retention_days IS NOT NULL`)).rows,
  );
  let purged = 0;
  for (const org of orgs) {
    const cutoff = new Date(ctx.now().getTime() - org.retention_days * 86_400_000);
    for (;;) {
      const rows = await ctx.db.inOrg(org.id, async (tx) =>
        (
          await tx.query<{ id: string; object_key: string; thumb_key: string | null }>(
            `SELECT id, object_key, thumb_key FROM screenshots WHERE org_id = $1 AND taken_at < $2 LIMIT ${BATCH}`,
            [org.id, cutoff],
          )
        ).rows,
      );
      if (rows.length === 0) break;
      await ctx.blobs.delete(rows.flatMap((r) => [r.object_key, ...(r.thumb_key ? [r.thumb_key] : [])]));
      await ctx.db.inOrg(org.id, async (tx) => {
        await tx.query(`DELETE FROM screenshots WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
        await audit(tx, { orgId: org.id, userId: null }, 'retention.purge', 'org', org.id, { count: rows.length, before: cutoff });
      });
      purged += rows.length;
      if (rows.length < BATCH) break;
    }
  }
  return purged;
}
