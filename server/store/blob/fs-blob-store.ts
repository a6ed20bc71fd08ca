import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, ObjectHead, PutConstraints } from './blob-store';
import { isSafeKey, isUserKeyPrefix } from './object-keys';
import { sign, verify } from './url-signer';

export type BlobUrlCheck =
  | { ok: true; key: string; length?: number; md5?: string; contentType?: string }
  | { ok: false; status: 403 | 404; code: string; message: string };

/**
 * Blobs as files under `dir` (the embedded default). The server itself serves HMAC-signed,
 * expiring PUT and GET URLs under /blobs/, so the device's code path is the same as with S3.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = 'fs' as const;

  constructor(
    private readonly dir: string,
    private readonly secret: string,
    private readonly baseUrl: () => string,
    private readonly now: () => Date,
  ) {}

  private file(key: string): string {
    if (!isSafeKey(key)) throw new Error(`unsafe object key ${key}`);
    return path.join(this.dir, ...key.split('/'));
  }

  async presignPut(key: string, c: PutConstraints) {
    const expires = Math.floor(c.now.getTime() / 1000) + c.expiresInSeconds;
    const sig = sign(this.secret, ['PUT', key, expires, c.contentLength, c.contentMd5, c.contentType]);
    return {
      url: `${this.baseUrl()}/blobs/${key}?expires=${expires}&signature=${sig}`,
      method: 'PUT' as const,
      headers: { 'Content-Type': c.contentType, 'Content-MD5': c.contentMd5, 'Content-Length': String(c.contentLength) },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  async viewOrigin(): Promise<string> {
    return new URL(this.baseUrl()).origin;
  }

  async presignGet(key: string, expiresInSeconds: number, now: Date): Promise<string> {
    const expires = Math.floor(now.getTime() / 1000) + expiresInSeconds;
    return `${this.baseUrl()}/blobs/${key}?expires=${expires}&signature=${sign(this.secret, ['GET', key, expires])}`;
  }

  /** Checks a request to /blobs/<key> against its signature and expiry. */
  check(method: 'PUT' | 'GET', key: string, query: Record<string, unknown>, headers: Record<string, string | undefined>): BlobUrlCheck {
    if (!isSafeKey(key)) return { ok: false, status: 404, code: 'NoSuchKey', message: 'no such object' };
    const expires = Number(query.expires);
    const signature = typeof query.signature === 'string' ? query.signature : '';
    if (!Number.isInteger(expires) || !signature) return { ok: false, status: 403, code: 'AccessDenied', message: 'unsigned request' };
    if (expires * 1000 < this.now().getTime()) return { ok: false, status: 403, code: 'AccessDenied', message: 'request has expired' };
    if (method === 'GET') {
      return verify(this.secret, ['GET', key, expires], signature)
        ? { ok: true, key }
        : { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'signature does not match' };
    }
    const length = Number(headers['content-length']);
    const md5 = headers['content-md5'] ?? '';
    const contentType = headers['content-type'] ?? '';
    if (!verify(this.secret, ['PUT', key, expires, length, md5, contentType], signature)) {
      return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'signature does not match the signed headers' };
    }
    return { ok: true, key, length, md5, contentType };
  }

  /** Streams a PUT body to a temp file, checks length and MD5, then renames it into place. */
  async receive(key: string, body: Readable, length: number, md5: string): Promise<'ok' | 'BadDigest' | 'IncompleteBody'> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.part`;
    const hash = createHash('md5');
    let received = 0;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      hash.update(chunk);
    });
    try {
      await pipeline(body, createWriteStream(tmp));
      if (received !== length) return 'IncompleteBody';
      if (hash.digest('base64') !== md5) return 'BadDigest';
      const fh = await open(tmp, 'r');
      await fh.sync();
      await fh.close();
      await rename(tmp, target);
      return 'ok';
    } finally {
      await rm(tmp, { force: true });
    }
  }

  filePath(key: string): string {
    return this.file(key);
  }

  async head(key: string): Promise<ObjectHead | null> {
    try {
      const s = await stat(this.file(key));
      const hash = createHash('md5');
      await pipeline(createReadStream(this.file(key)), hash);
      return { size: s.size, md5Hex: hash.digest('hex') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.file(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.file(key));
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.part`;
    await writeFile(tmp, body);
    await rename(tmp, target);
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => rm(this.file(k), { force: true })));
  }

  async list(prefix: string): Promise<string[]> {
    if (!isUserKeyPrefix(prefix)) throw new Error(`not a user key prefix: ${prefix}`);
    const root = path.join(this.dir, ...prefix.split('/').filter(Boolean));
    try {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => `${prefix}${path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/')}`)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Removes the user's whole folder (temp files of uploads in flight included). */
  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    await rm(path.join(this.dir, ...prefix.split('/').filter(Boolean)), { recursive: true, force: true });
    return keys.length;
  }

  async ping(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await stat(this.dir);
  }
}
