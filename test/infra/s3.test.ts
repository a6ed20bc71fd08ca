import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startTestS3 } from './s3';

const s3 = inject('s3');

function client(secretAccessKey = s3!.secretAccessKey): S3Client {
  return new S3Client({
    endpoint: s3!.endpoint,
    region: s3!.region,
    credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey },
    forcePathStyle: true,
    // RGW answers the SDK's default streaming checksums with 411; send checksums only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A raw PUT, so the test controls every header and byte the way a device would send them. */
function put(url: string, headers: Record<string, string | number>, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const signedHeaders = new Set(['content-type', 'content-md5', 'content-length']);

describe.skipIf(!s3)('the test S3 server checks what a presigned PUT was signed for', () => {
  const bucket = `stint-infra-${randomUUID().slice(0, 8)}`;
  const body = Buffer.from('a screenshot, pretend it is WebP');

  async function presignPut(key: string, signFor: Buffer, options: { signingDate?: Date } = {}): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      ContentLength: signFor.length,
      ContentMD5: md5(signFor),
      ContentType: 'image/webp',
    });
    return getSignedUrl(client(), command, { expiresIn: 300, signableHeaders: signedHeaders, ...options });
  }

  const headersFor = (b: Buffer) => ({ 'content-type': 'image/webp', 'content-md5': md5(b), 'content-length': b.length });

  async function exists(key: string): Promise<boolean> {
    return client()
      .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      .then(() => true)
      .catch((err: { $metadata?: { httpStatusCode?: number } }) => {
        if (err.$metadata?.httpStatusCode === 404) return false;
        throw err;
      });
  }

  beforeAll(async () => {
    await client().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('stores the bytes of a presigned PUT sent with the signed Content-Length, Content-MD5 and Content-Type', async () => {
    const url = await presignPut('ok.webp', body);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-md5;content-type;host');
    const res = await put(url, headersFor(body), body);
    expect(res).toMatchObject({ status: 200 });
    const got = await client().send(new GetObjectCommand({ Bucket: bucket, Key: 'ok.webp' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    expect(got.ContentType).toBe('image/webp');
  });

  it('rejects a request signed with the wrong secret: 403 SignatureDoesNotMatch', async () => {
    const err = await client('not-the-secret')
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'forged.webp', Body: body }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    expect(await exists('forged.webp')).toBe(false);
  });

  it('rejects a body whose MD5 differs from the signed Content-MD5: 400 BadDigest, nothing stored', async () => {
    const url = await presignPut('tampered.webp', body);
    const tampered = Buffer.from(body.toString().toUpperCase());
    expect(tampered.length).toBe(body.length);
    const res = await put(url, headersFor(body), tampered);
    expect(res.status).toBe(400);
    expect(res.body).toContain('BadDigest');
    expect(await exists('tampered.webp')).toBe(false);
  });

  it('rejects a Content-MD5 or Content-Length other than the signed one: 403 SignatureDoesNotMatch', async () => {
    const url = await presignPut('other.webp', body);
    const other = Buffer.concat([body, Buffer.from('!')]);
    for (const sent of [{ ...headersFor(body), 'content-md5': md5(other) }, headersFor(other)]) {
      const res = await put(url, sent, sent['content-length'] === other.length ? other : body);
      expect(res.status).toBe(403);
      expect(res.body).toContain('SignatureDoesNotMatch');
    }
    expect(await exists('other.webp')).toBe(false);
  });

  it('rejects an expired presigned URL: 403 AccessDenied', async () => {
    const url = await presignPut('late.webp', body, { signingDate: new Date(Date.now() - 3_600_000) });
    const res = await put(url, headersFor(body), body);
    expect(res.status).toBe(403);
    expect(res.body).toContain('AccessDenied');
    const getUrl = await getSignedUrl(client(), new GetObjectCommand({ Bucket: bucket, Key: 'ok.webp' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 3_600_000),
    });
    const got = await fetch(getUrl);
    expect(got.status).toBe(403);
    expect(await got.text()).toContain('AccessDenied');
  });
});

describe('startTestS3 with S3_TEST_ENDPOINT', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('uses the given server and leaves it running', async () => {
    vi.stubEnv('S3_TEST_ENDPOINT', 'http://127.0.0.1:9');
    vi.stubEnv('S3_TEST_REGION', 'eu-west-1');
    vi.stubEnv('S3_TEST_ACCESS_KEY_ID', 'AKID');
    vi.stubEnv('S3_TEST_SECRET_ACCESS_KEY', 'SECRET');
    const given = await startTestS3();
    expect(given).toMatchObject({ endpoint: 'http://127.0.0.1:9', region: 'eu-west-1', accessKeyId: 'AKID', secretAccessKey: 'SECRET' });
    await expect(given.stop()).resolves.toBeUndefined();
  });

  it('names the variables that are missing', async () => {
    vi.stubEnv('S3_TEST_ENDPOINT', 'http://127.0.0.1:9');
    vi.stubEnv('S3_TEST_REGION', 'eu-west-1');
    vi.stubEnv('S3_TEST_ACCESS_KEY_ID', '');
    vi.stubEnv('S3_TEST_SECRET_ACCESS_KEY', '');
    await expect(startTestS3()).rejects.toThrow(
      'S3_TEST_ENDPOINT is set but not S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY',
    );
  });
});
