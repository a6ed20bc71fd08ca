import pLimit from 'p-limit';
import sharp from 'sharp';
import { z } from 'zod';
import { thumbKey } from '../store/blob/object-keys';
import { markMissing } from '../store/screenshot-batch.repository';
import { findScreenshot, markProcessed } from '../store/screenshots.repository';
import type { ServiceContext } from '../services/context';

/** One screenshot (the single-item complete) or a batch complete's ids. */
const payload = z.union([
  z.object({ orgId: z.uuid(), screenshotId: z.string().min(1) }),
  z.object({ orgId: z.uuid(), screenshotIds: z.array(z.string().min(1)).min(1).max(100) }),
]);
export const THUMB_WIDTH = 320;

/**
 * Screenshots one worker process verifies at once (HEAD, GET, decode, thumbnail, PUT), across all
 * the jobs it runs: one at a time bent at about 2 screenshots/s, waiting on S3 round trips.
 */
export const VERIFY_CONCURRENCY = 4;
const verifying = pLimit(VERIFY_CONCURRENCY);

export type ProcessOutcome = 'verified' | 'corrupt' | 'missing' | 'gone';

/** Runs the job for every screenshot it names (VERIFY_CONCURRENCY at once per process); returns each outcome in order. */
export async function processScreenshots(ctx: ServiceContext, data: unknown): Promise<ProcessOutcome[]> {
  const job = payload.parse(data);
  const ids = 'screenshotIds' in job ? job.screenshotIds : [job.screenshotId];
  return Promise.all(ids.map((id) => verifying(() => processOne(ctx, job.orgId, id))));
}

/** The single-screenshot form (kept for jobs queued before batches and for tests). */
export async function processScreenshot(ctx: ServiceContext, data: unknown): Promise<ProcessOutcome> {
  return (await processScreenshots(ctx, data))[0] as ProcessOutcome;
}

/**
 * Verifies the uploaded image decodes and makes the server-side thumbnail. A corrupt image is
 * marked, not retried: retrying would not make it decode. A batch-completed (`received`) row
 * whose object is not there is marked `missing`: never shown, and its next declaration gets a PUT.
 */
async function processOne(ctx: ServiceContext, orgId: string, screenshotId: string): Promise<ProcessOutcome> {
  const row = await ctx.db.inOrg(orgId, (tx) => findScreenshot(tx, screenshotId));
  if (!row || row.state === 'pending' || row.state === 'missing') return 'gone';
  const head = await ctx.blobs.head(row.object_key);
  if (!head || (row.state === 'received' && head.size !== row.bytes)) {
    if (row.state !== 'received') return 'gone';
    ctx.log.warn({ screenshotId, size: head?.size ?? null }, 'a batch-completed screenshot has no matching object');
    await ctx.db.inOrg(orgId, (tx) => markMissing(tx, screenshotId));
    return 'missing';
  }
  const bytes = await ctx.blobs.get(row.object_key);
  let thumb: Buffer | null = null;
  try {
    thumb = await sharp(bytes, { failOn: 'error' })
      .rotate()
      .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
  } catch (err) {
    ctx.log.warn({ err, screenshotId }, 'screenshot does not decode');
  }
  const key = thumb ? thumbKey(row.object_key) : null;
  if (thumb && key) await ctx.blobs.put(key, thumb, 'image/webp');
  const recorded = await ctx.db.inOrg(orgId, (tx) => markProcessed(tx, screenshotId, key, thumb !== null, ctx.now()));
  if (!recorded) {
    // Deleted (by its owner, an erasure or retention) while this job ran: its thumbnail must not outlive it.
    if (key) await ctx.blobs.delete([key]);
    return 'gone';
  }
  return thumb ? 'verified' : 'corrupt';
}
