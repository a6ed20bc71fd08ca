import { createServer, type IncomingMessage, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir';
import { createBlobUploader } from './blob-upload';

// What goes on the wire for a presigned PUT, seen by a plain HTTP server on loopback
// (S3 itself only says yes or no; the real-S3 tests are in src/sync/upload).
let server: Server;
let base = '';
let seen: Array<{ method: string; headers: string[]; body: number; url: string }> = [];
const dir = tempDir();
const file = join(dir.path, 'shot.webp');

beforeAll(async () => {
  writeFileSync(file, Buffer.alloc(70_000, 7));
  server = createServer((req: IncomingMessage, res) => {
    let body = 0;
    req.on('data', (d: Buffer) => (body += d.length));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body, headers: req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()) });
      if (req.url?.startsWith('/moved')) res.writeHead(307, { location: `${base}/elsewhere` }).end();
      else res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  dir.remove();
});

const presigned = (path: string) => ({
  url: `${base}${path}?X-Amz-Signature=abc`,
  method: 'PUT' as const,
  headers: { 'Content-Type': 'image/webp', 'Content-MD5': 'Zm9vYmFyYmF6cXV4cXV1eA==', 'content-length': '70000' },
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
});

describe('blob PUT', () => {
  it('sends exactly the presigned headers, one explicit Content-Length and the whole file', async () => {
    seen = [];
    await createBlobUploader().put(presigned('/bucket/key'), file, 70_000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.body).toBe(70_000);
    expect(seen[0]!.headers.sort()).toEqual(['connection', 'content-length', 'content-md5', 'content-type', 'host']);
  });

  it('does not follow a redirect (it would re-send the bytes somewhere not signed for)', async () => {
    seen = [];
    await expect(createBlobUploader().put(presigned('/moved'), file, 70_000)).rejects.toMatchObject({ response: { status: 307 } });
    expect(seen.map((s) => s.url.split('?')[0])).toEqual(['/moved']);
  });

  it('fails before sending anything when the local file is not the size its record says', async () => {
    seen = [];
    await expect(createBlobUploader().put(presigned('/bucket/key'), file, 80_000)).rejects.toThrow(/is 70000 bytes, its record says 80000/);
    expect(seen).toEqual([]);
  });

  it('fails before sending anything when the local file is missing', async () => {
    seen = [];
    await expect(createBlobUploader().put(presigned('/bucket/key'), join(dir.path, 'gone.webp'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(seen).toEqual([]);
  });
});
