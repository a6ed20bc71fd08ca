import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import type { ImageEncoding } from '../store/legacy-source.repository';

export interface LegacyImage {
  body: Buffer;
  contentType: 'image/webp' | 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  sha256: string;
  /** Base64, as screenshots.md5 holds it. */
  md5: string;
}

// Only headers are read, each image once: libvips' operation cache would just hold memory.
sharp.cache(false);

const TYPES = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' } as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[\w/+.-]+;base64,/;

/**
 * Base64 as the legacy API stored it (optionally a data: URL), strictly: Buffer.from skips
 * characters it does not know, which would turn a damaged row into a silently different image.
 */
export function decodeBase64(text: string): Buffer | string {
  const s = text.replace(DATA_URL, '').replace(/\s+/g, '');
  if (s.length === 0) return 'the image column is empty';
  if (s.length % 4 !== 0 || !BASE64.test(s)) return 'the image column is not valid base64';
  return Buffer.from(s, 'base64');
}

/**
 * A legacy row's image, checked to be a whole WebP, JPEG or PNG and hashed; a string says why
 * the row cannot be moved. The image type is the one its bytes say (the legacy column may lie).
 */
export async function readLegacyImage(stored: Buffer | string | null, encoding: ImageEncoding): Promise<LegacyImage | string> {
  if (stored === null) return 'the image column is NULL';
  const body = encoding === 'bytea' && Buffer.isBuffer(stored) ? stored : decodeBase64(stored.toString());
  if (typeof body === 'string') return body;
  if (body.length === 0) return 'the image column is empty';
  let meta: Metadata;
  try {
    meta = await sharp(body, { failOn: 'error' }).metadata();
  } catch (err) {
    return `the image does not decode (${err instanceof Error ? err.message : String(err)})`;
  }
  const contentType = TYPES[meta.format as keyof typeof TYPES];
  if (!contentType) return `the image is ${meta.format}: Stint stores WebP, JPEG or PNG`;
  if (!meta.width || !meta.height) return 'the image has no dimensions';
  return {
    body,
    contentType,
    width: meta.width,
    height: meta.height,
    sha256: createHash('sha256').update(body).digest('hex'),
    md5: createHash('md5').update(body).digest('base64'),
  };
}
