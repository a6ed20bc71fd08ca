import sharp, { type Sharp } from 'sharp';
import { createHash } from 'node:crypto';
import type { ScreenshotContentType } from '../../shared/http/screenshots';

export interface EncodeOptions {
  format: 'webp' | 'jpeg';
  /** 1..100 */
  quality: number;
  thumbWidth: number;
  blur: boolean;
}

/** Chosen by measurement (bench/core, docs/bench/core.md): WebP q60 keeps text readable at ~1/3 of JPEG q80's size. */
export const defaultEncodeOptions: EncodeOptions = { format: 'webp', quality: 60, thumbWidth: 320, blur: false };

export interface Encoded {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  contentType: ScreenshotContentType;
  ext: 'webp' | 'jpg';
}

/** Full image + thumbnail. sharp does the work on libuv's pool, off the calling thread. */
export async function encodeFrame(image: Buffer, opts: EncodeOptions = defaultEncodeOptions): Promise<Encoded> {
  let base = sharp(image).removeAlpha();
  // Blur strong enough that text cannot be read, light enough that windows stay recognisable.
  if (opts.blur) base = base.blur(6);
  const format = (s: Sharp, quality: number) =>
    opts.format === 'webp' ? s.webp({ quality, effort: 2 }) : s.jpeg({ quality, mozjpeg: false });
  // One after the other, not in parallel: capture must leave a core free for the UI thread.
  const full = await format(base.clone(), opts.quality).toBuffer({ resolveWithObject: true });
  const thumb = await format(base.clone().resize({ width: opts.thumbWidth, withoutEnlargement: true }), 50).toBuffer();
  return {
    full: full.data,
    thumb,
    width: full.info.width,
    height: full.info.height,
    contentType: opts.format === 'webp' ? 'image/webp' : 'image/jpeg',
    ext: opts.format === 'webp' ? 'webp' : 'jpg',
  };
}

export function digests(data: Buffer): { sha256: string; md5: string } {
  return {
    sha256: createHash('sha256').update(data).digest('hex'),
    md5: createHash('md5').update(data).digest('base64'),
  };
}
