import sharp from 'sharp';
import { z } from 'zod';
import { thumbKey } from '../store/blob/object-keys';
import { findScreenshot, markProcessed } from '../store/screenshots.repository';
import type { ServiceContext } from '../services/context';

const payload = z.object({ orgId: z.uuid(), screenshotId: z.string().min(1) });
export const THUMB_WIDTH = 320;

/**
 * Verifies the uploaded image decodes and makes the server-side thumbnail. A corrupt image is
 * marked, not retried: retrying would not make it decode.
 */
export async function processScreenshot(ctx: ServiceContext, data: unknown): Promise<'verified' | 'corrupt' | 'gone'> {
  const { orgId, screenshotId } = payload.parse(data);
  const row = await ctx.db.inOrg(orgId, (tx) => findScreenshot(tx, screenshotId));
  if (!row || row.state === 'pending') return 'gone';
  const head = await ctx.blobs.head(row.object_key);
  if (!head) return 'gone';
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
