import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import pLimit from 'p-limit';
import { createBlobUploader } from '../../src/sync/api/blob-upload';

export interface CeilingFile {
  path: string;
  bytes: number;
  md5: string;
}

/**
 * The ceiling: the same objects PUT straight to S3 with presigned URLs (signed beforehand,
 * outside the timing) and nothing else, streamed from disk with the engine's own PUT code.
 */
export async function presignedPutCeiling(s3: S3Client, bucket: string, files: CeilingFile[], concurrency: number): Promise<{ ms: number; requests: number }> {
  const signableHeaders = new Set(['content-type', 'content-md5', 'content-length', 'host']);
  const uploads = await Promise.all(
    files.map(async (f, i) => {
      const headers = { 'Content-Type': 'image/webp', 'Content-MD5': f.md5, 'Content-Length': String(f.bytes) };
      const cmd = new PutObjectCommand({ Bucket: bucket, Key: `ceiling/${i}.webp`, ContentLength: f.bytes, ContentMD5: f.md5, ContentType: 'image/webp' });
      const url = await getSignedUrl(s3, cmd, { expiresIn: 3600, signableHeaders });
      return { url, method: 'PUT' as const, headers, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    }),
  );
  const blob = createBlobUploader();
  const limit = pLimit(concurrency);
  const started = performance.now();
  await Promise.all(files.map((f, i) => limit(() => blob.put(uploads[i]!, f.path, f.bytes))));
  return { ms: Math.round(performance.now() - started), requests: blob.stats.requests };
}
