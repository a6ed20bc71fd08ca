import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { OBJECT_CACHE_CONTROL, SIGNED_GET_CACHE_CONTROL } from './cache-policy';
import { createS3Client, S3BlobStore, type S3Settings } from './s3-blob-store';
import { encodeSegment } from './sigv4-get';

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

describe('presigned GETs are signed by hand (sigv4-get.ts) exactly as the SDK signer signs them', () => {
  const keys = [key, 'org/a/user/b/2026/01/02/weird key (1)!*\'~.webp', 'org/x/user/y/ünïcode/é.thumb.webp'];
  const cases: Array<[string, string | undefined, string]> = [
    ['http://127.0.0.1:7480', undefined, 'us-east-1'],
    ['https://objects.example.test:8443/prefix', 'SESSION/TOKEN+with=chars', 'eu-central-1'],
  ];
  it.each(cases)('endpoint %s, session token %s, region %s', async (endpoint, sessionToken, region) => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', ...(sessionToken ? { sessionToken } : {}) };
    const store = new S3BlobStore(new S3Client({ endpoint, region, forcePathStyle: true, credentials }), 'stint-shots');
    const sdk = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    for (const k of keys) {
      for (const at of [now, new Date('2026-12-31T23:59:59.999Z')]) {
        const base = new URL(`${endpoint}/stint-shots`);
        const path = `${base.pathname}/${k.split('/').map(encodeSegment).join('/')}`;
        const expires = new Date(at.getTime() + 300_000).toUTCString();
        const signed = await sdk.presign(
          new HttpRequest({
            method: 'GET',
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port ? Number(base.port) : undefined,
            path,
            query: { 'response-cache-control': SIGNED_GET_CACHE_CONTROL, 'response-expires': expires },
            headers: { host: base.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
          }),
          { expiresIn: 300, signingDate: at },
        );
        const search = Object.entries(signed.query ?? {}).map(([q, v]) => `${encodeSegment(q)}=${encodeSegment(String(v))}`).join('&');
        expect(await store.presignGet(k, 300, at)).toBe(`${base.protocol}//${base.host}${path}?${search}`);
      }
    }
  });
});
