import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { OBJECT_CACHE_CONTROL } from './cache-policy';
import { createS3Client, S3BlobStore, type S3Settings } from './s3-blob-store';

// Signatures against a real SigV4 server are proven in ingest.test.ts (Ceph RGW); here, offline,
// that URLs go where the SDK's own endpoint rules send them, for every addressing style.
const configs: Array<[string, Omit<S3Settings, 'bucket'>]> = [
  ['AWS, virtual-hosted', { region: 'eu-west-1', forcePathStyle: false }],
  ['custom endpoint, virtual-hosted', { endpoint: 'https://objects.example.test', region: 'us-east-1', forcePathStyle: false }],
  ['custom endpoint with a path prefix, path-style', { endpoint: 'http://127.0.0.1:7480/s3', region: 'us-east-1', forcePathStyle: true }],
];
const key = 'org/0190a000-0000-7000-8000-000000000001/user/0190a000-0000-7000-8000-000000000002/2026/11/29/0190a000-0000-7000-8000-000000000003.webp';
const now = new Date('2026-11-29T12:00:00Z');
const md5 = createHash('md5').update('x').digest('base64');
const where = (url: string) => {
  const u = new URL(url);
  return { at: `${u.origin}${u.pathname}`, credential: u.searchParams.get('X-Amz-Credential'), signed: u.searchParams.get('X-Amz-SignedHeaders') };
};

describe.each(configs)('presigned URLs for %s', (_name, settings) => {
  const client = createS3Client({ ...settings, accessKeyId: 'AKID', secretAccessKey: 'SECRET' });
  const store = new S3BlobStore(client, 'stint-shots');

  it('a GET goes to the same URL and credential scope as the SDK presigner\'s', async () => {
    const sdk = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'stint-shots', Key: key }), { expiresIn: 300, signingDate: now });
    expect(where(await store.presignGet(key, 300, now))).toEqual(where(sdk));
  });

  it('a PUT signs Cache-Control, Content-Length, Content-MD5 and Content-Type, like the SDK presigner told to', async () => {
    const sdk = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'stint-shots', Key: key, ContentLength: 42, ContentMD5: md5, ContentType: 'image/webp', CacheControl: OBJECT_CACHE_CONTROL }), {
      expiresIn: 600,
      signingDate: now,
      signableHeaders: new Set(['cache-control', 'content-length', 'content-md5', 'content-type', 'host']),
    });
    const mine = await store.presignPut(key, { contentLength: 42, contentMd5: md5, contentType: 'image/webp', expiresInSeconds: 600, now });
    expect(where(mine.url)).toEqual(where(sdk));
    expect(where(mine.url).signed).toBe('cache-control;content-length;content-md5;content-type;host');
    expect(mine.headers['Cache-Control']).toBe(OBJECT_CACHE_CONTROL);
    expect(new URL(mine.url).searchParams.get('X-Amz-Expires')).toBe('600');
  });
});
