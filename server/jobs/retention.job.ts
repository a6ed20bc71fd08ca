import type { ServiceContext } from '../services/context';
import { audit } from '../services/audit';
import { thumbKey } from '../store/blob/object-keys';
import { deleteScreenshotRows, deleteTombstones, expiredTombstones, lateKeys } from '../store/screenshots.repository';
import { deleteOpReceiptsBefore, orgsWithRetention, screenshotsTakenBefore } from '../store/retention.repository';

const BATCH = 500;
/**
 * Op receipts answer replays of a push. Every op is an upsert or delete keyed by its own entity
 * id, so replaying one older than this applies nothing new; the receipts need not grow forever.
 */
export const OP_RECEIPT_DAYS = 30;
const RECEIPT_BATCH = 5_000;

/** Deletes push-op receipts older than OP_RECEIPT_DAYS, in batches; returns how many. */
export async function pruneOpReceipts(ctx: ServiceContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - OP_RECEIPT_DAYS * 86_400_000);
  let pruned = 0;
  for (;;) {
    const n = await ctx.db.system((tx) => deleteOpReceiptsBefore(tx, cutoff, RECEIPT_BATCH));
    pruned += n;
    if (n < RECEIPT_BATCH) break;
  }
  await pruneTombstones(ctx, cutoff);
  return pruned;
}

/**
 * Tombstones guard only uploads in flight when their screenshot was deleted; a month is ample.
 * An upload whose `complete` never came may still have landed its bytes: the object goes first,
 * then the tombstone (a failed delete keeps the tombstone for the next run).
 */
async function pruneTombstones(ctx: ServiceContext, cutoff: Date): Promise<void> {
  for (;;) {
    const rows = await ctx.db.system((tx) => expiredTombstones(tx, cutoff, BATCH));
    if (rows.length === 0) return;
    await ctx.blobs.delete(rows.flatMap((r) => (r.object_key ? [r.object_key, thumbKey(r.object_key)] : [])));
    await ctx.db.system((tx) => deleteTombstones(tx, rows.map((r) => r.id)));
    if (rows.length < BATCH) return;
  }
}

/** Purges screenshots older than each org's retention policy (objects first, then rows). */
export async function purgeExpiredScreenshots(ctx: ServiceContext): Promise<number> {
  const orgs = await ctx.db.system(orgsWithRetention);
  let purged = 0;
  for (const org of orgs) {
    const cutoff = new Date(ctx.now().getTime() - org.retention_days * 86_400_000);
    for (;;) {
      const rows = await ctx.db.inOrg(org.id, (tx) => screenshotsTakenBefore(tx, org.id, cutoff, BATCH));
      if (rows.length === 0) break;
      const keys = rows.flatMap((r) => [r.object_key, ...(r.thumb_key ? [r.thumb_key] : [])]);
      await ctx.blobs.delete(keys);
      const late = await ctx.db.inOrg(org.id, async (tx) => {
        const pointed = await deleteScreenshotRows(tx, { ids: rows.map((r) => r.id) });
        await audit(tx, { orgId: org.id, userId: null }, 'retention.purge', 'org', org.id, { count: rows.length, before: cutoff });
        return lateKeys(keys, pointed.keys);
      });
      if (late.length) await ctx.blobs.delete(late);
      purged += rows.length;
      if (rows.length < BATCH) break;
    }
  }
  return purged;
}
