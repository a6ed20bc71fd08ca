import { createReadStream, fstatSync } from 'node:fs';
import { connect } from 'node:net';
import axios from 'axios';
import type { PresignedUpload } from '../../shared/http/screenshots';
import { keepAliveAgents } from './http-agents';

/** The file on disk is not the one recorded (truncated, replaced): no upload can ever succeed. */
export class LocalFileMismatchError extends Error {
  readonly code = 'ESTINTMISMATCH';
}

export interface BlobUploader {
  readonly stats: { requests: number; bytes: number };
  /** PUT the file's bytes to a presigned URL, streamed from disk. Throws the axios error on failure. */
  put(upload: PresignedUpload, filePath: string, bytes: number, signal?: AbortSignal): Promise<void>;
  /** True when the blob store's origin answers at all (any HTTP status). */
  probe(origin: string): Promise<boolean>;
}

/**
 * Straight to the blob store: no auth header, no redirects (a redirect would re-send the body to
 * somewhere we did not sign for), exactly the presigned headers plus an explicit Content-Length.
 */
export function createBlobUploader(options: { timeoutMs?: number } = {}): BlobUploader {
  const http = axios.create({ maxRedirects: 0, timeout: options.timeoutMs ?? 60_000, maxBodyLength: Infinity, ...keepAliveAgents });
  const stats = { requests: 0, bytes: 0 };
  return {
    stats,
    async put(upload, filePath, bytes, signal) {
      stats.requests++;
      // Default 64 KB chunks: reading a whole screenshot as one chunk saved a little CPU but its
      // single large socket write doubled the drain's worst event-loop delay (~100 ms vs ~40 ms).
      const body = createReadStream(filePath);
      // Open errors (a missing file) surface before any byte is sent.
      const fd = await new Promise<number>((resolve, reject) => {
        body.once('open', resolve);
        body.once('error', reject);
      });
      try {
        // A file that is not the size its row says would leave S3 waiting for bytes that never come.
        const { size } = fstatSync(fd);
        if (size !== bytes) throw new LocalFileMismatchError(`local file ${filePath} is ${size} bytes, its record says ${bytes}`);
        const signed = Object.fromEntries(Object.entries(upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
        await http.put(upload.url, body, {
          headers: { ...signed, 'Content-Length': String(bytes), Accept: false, 'Accept-Encoding': false, 'User-Agent': false },
          transformRequest: [(data: unknown) => data],
          responseType: 'text',
          signal,
        });
        stats.bytes += bytes;
      } finally {
        body.destroy();
      }
    },
    // A TCP connect is enough to know the store listens again; a broken store then answers the PUT with a 5xx.
    probe(origin) {
      const url = new URL(origin);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      return new Promise<boolean>((resolve) => {
        const socket = connect({ host: url.hostname, port, timeout: 5_000 });
        const done = (ok: boolean) => {
          socket.destroy();
          resolve(ok);
        };
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
        socket.once('timeout', () => done(false));
      });
    },
  };
}
