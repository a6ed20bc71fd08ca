import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import http from 'node:http';
import https from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BlobStore, ObjectHead, PutConstraints } from './blob-store';
import { isUserKeyPrefix } from './object-keys';
import { OBJECT_CACHE_CONTROL, SIGNED_GET_CACHE_CONTROL } from './cache-policy';
import { encodeSegment, presignGetUrl } from './sigv4-get';

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** An S3 client for any S3 (AWS, MinIO, Ceph RGW): checksums only where the operation requires them. */
export function createS3Client(s: Omit<S3Settings, 'bucket'>): S3Client {
  return new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    forcePathStyle: s.forcePathStyle,
    credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
    // Presigned PUTs must not carry an empty-body checksum the device cannot match.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/** A presigned HEAD over node:http with keep-alive (fetch costs about a millisecond of CPU more per call). */
function headRequest(url: string): Promise<{ status: number; contentLength: number; etag: string | undefined }> {
  const secure = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method: 'HEAD', agent: secure ? agents.https : agents.http, timeout: 15_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, contentLength: Number(res.headers['content-length'] ?? -1), etag: res.headers.etag });
    });
    req.on('timeout', () => req.destroy(new Error('HEAD timed out')));
    req.on('error', reject);
    req.end();
  });
}

const SIGNED_PUT_HEADERS = new Set(['content-type', 'content-md5', 'content-length', 'cache-control', 'host']);

/** Where the SDK would send a request for `bucket`, and the region it would sign it for. */
async function resolveBucketUrl(client: S3Client, bucket: string): Promise<{ base: URL; region: string }> {
  const ep = await getEndpointFromInstructions({ Bucket: bucket, Key: 'k' }, GetObjectCommand, client.config);
  const scheme = (ep.properties?.authSchemes as Array<{ signingRegion?: string }> | undefined)?.[0];
  return { base: new URL(ep.url.href.replace(/\/$/, '')), region: scheme?.signingRegion ?? (await client.config.region()) };
}

/**
 * Blobs in an S3 bucket (AWS, MinIO, Ceph RGW); the client is injected so tests and deployments
 * pick the endpoint. URLs are presigned with the SDK's own SigV4 signer called directly: the
 * command middleware stack behind `getSignedUrl` costs about a millisecond of CPU per URL, and a
 * timeline signs dozens. `urlEndpoint` points presigned URLs at another address of the same
 * store than the client's (default: the client's endpoint).
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly target: Promise<{ base: URL; region: string }>;
  private readonly signer: SignatureV4;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    urlEndpoint?: { endpoint: string; region: string },
  ) {
    this.target = urlEndpoint
      ? Promise.resolve({ base: new URL(`${urlEndpoint.endpoint.replace(/\/$/, '')}/${encodeURIComponent(bucket)}`), region: urlEndpoint.region })
      : resolveBucketUrl(client, bucket);
    // Catch here so an unreachable config surfaces on first use, not as an unhandled rejection.
    this.target.catch(() => undefined);
    this.signer = new SignatureV4({
      service: 's3',
      region: () => this.target.then((t) => t.region),
      credentials: client.config.credentials,
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  private objectPath(base: URL, key: string): string {
    return `${base.pathname.replace(/\/$/, '')}/${key.split('/').map(encodeSegment).join('/')}`;
  }

  private async presign(method: 'GET' | 'PUT' | 'HEAD', key: string, expiresIn: number, now: Date, headers: Record<string, string> = {}, query: Record<string, string> = {}): Promise<string> {
    const { base } = await this.target;
    const path = this.objectPath(base, key);
    const request = new HttpRequest({
      method,
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      query,
      headers: { ...headers, host: base.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    });
    const signed = await this.signer.presign(request, { expiresIn, signingDate: now, signableHeaders: SIGNED_PUT_HEADERS });
    const search = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(String(v))}`)
      .join('&');
    return `${base.protocol}//${base.host}${path}?${search}`;
  }

  async viewOrigin(): Promise<string> {
    return (await this.target).base.origin;
  }

  async presignPut(key: string, c: PutConstraints) {
    const headers = { 'Content-Type': c.contentType, 'Content-MD5': c.contentMd5, 'Content-Length': String(c.contentLength), 'Cache-Control': OBJECT_CACHE_CONTROL };
    return {
      url: await this.presign('PUT', key, c.expiresInSeconds, c.now, headers),
      method: 'PUT' as const,
      headers,
      expiresAt: new Date(c.now.getTime() + c.expiresInSeconds * 1000).toISOString(),
    };
  }

  /** The answer to this URL may be cached until the URL expires, not a second longer. */
  async presignGet(key: string, expiresInSeconds: number, now: Date): Promise<string> {
    const expires = new Date(now.getTime() + expiresInSeconds * 1000).toUTCString();
    const [{ base, region }, credentials] = await Promise.all([this.target, this.client.config.credentials()]);
    return presignGetUrl({
      base,
      path: this.objectPath(base, key),
      query: { 'response-cache-control': SIGNED_GET_CACHE_CONTROL, 'response-expires': expires },
      credentials,
      region,
      now,
      expiresInSeconds,
    });
  }

  async head(key: string): Promise<ObjectHead | null> {
    const res = await headRequest(await this.presign('HEAD', key, 60, new Date()));
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`HEAD ${key}: ${res.status}`);
    const etag = (res.etag ?? '').replaceAll('"', '');
    return { size: res.contentLength, md5Hex: /^[0-9a-f]{32}$/.test(etag) ? etag : null };
  }

  async size(key: string): Promise<number | null> {
    return (await this.head(key))?.size ?? null;
  }

  async get(key: string): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`empty body for ${key}`);
    return Buffer.from(await out.Body.transformToByteArray());
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, CacheControl: OBJECT_CACHE_CONTROL }));
  }

  async delete(keys: string[]): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs a body checksum some S3 servers do not accept.
    await Promise.all(keys.map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))));
  }

  async list(prefix: string): Promise<string[]> {
    if (!isUserKeyPrefix(prefix)) throw new Error(`not a user key prefix: ${prefix}`);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** ListObjectsV2 page by page, each page (at most 1,000 keys) gone in one DeleteObjects. */
  async deletePrefix(prefix: string): Promise<number> {
    if (!isUserKeyPrefix(prefix)) throw new Error(`not a user key prefix: ${prefix}`);
    let deleted = 0;
    for (;;) {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) return deleted;
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
      if (out.Errors?.length) throw new Error(`DeleteObjects under ${prefix}: ${out.Errors.map((e) => `${e.Key} ${e.Code}`).join(', ')}`);
      deleted += keys.length;
    }
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}
