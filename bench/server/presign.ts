// CPU per presigned URL: the AWS SDK's getSignedUrl (command + middleware stack) vs the server's
// S3BlobStore (the SDK's SignatureV4 called directly). Signing needs no server, so this runs offline.
// `npx tsx bench/server/presign.ts` → docs/bench/server-presign.json and .md
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client, S3BlobStore } from '../../server/store/blob/s3-blob-store';

const ROUNDS = 5;
const PER_ROUND = 2_000;
const client = createS3Client({ endpoint: 'http://127.0.0.1:7480', region: 'us-east-1', forcePathStyle: true, accessKeyId: 'AKID', secretAccessKey: 'SECRET' });
const bucket = 'stint-bench';
const store = new S3BlobStore(client, bucket);
const key = 'org/0190a000-0000-7000-8000-000000000001/user/0190a000-0000-7000-8000-000000000002/2026/11/29/0190a000-0000-7000-8000-000000000003.webp';
const md5 = createHash('md5').update('x').digest('base64');
const now = new Date();
const signable = new Set(['content-type', 'content-md5', 'content-length', 'host']);

const variants: Record<string, () => Promise<string>> = {
  'PUT, SDK getSignedUrl': () =>
    getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: 123_456, ContentMD5: md5, ContentType: 'image/webp' }), {
      expiresIn: 600,
      signingDate: now,
      signableHeaders: signable,
    }),
  'PUT, SignatureV4.presign (server)': async () =>
    (await store.presignPut(key, { contentLength: 123_456, contentMd5: md5, contentType: 'image/webp', expiresInSeconds: 600, now })).url,
  'GET, SDK getSignedUrl': () => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300, signingDate: now }),
  'GET, SignatureV4.presign (server)': () => store.presignGet(key, 300, now),
};

async function microsPerUrl(fn: () => Promise<string>): Promise<number> {
  for (let i = 0; i < 500; i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    const used = process.cpuUsage(t);
    rounds.push((used.user + used.system) / PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] as number;
}

const results: Record<string, number> = {};
for (const [name, fn] of Object.entries(variants)) results[name] = Math.round((await microsPerUrl(fn)) * 10) / 10;
const ratio = (a: string, b: string) => Math.round(((results[a] as number) / (results[b] as number)) * 10) / 10;
const out = {
  when: new Date().toISOString(),
  node: process.version,
  method: `median of ${ROUNDS} rounds × ${PER_ROUND} URLs, process CPU (user+system) per URL`,
  microsPerUrl: results,
  sdkOverDirect: { put: ratio('PUT, SDK getSignedUrl', 'PUT, SignatureV4.presign (server)'), get: ratio('GET, SDK getSignedUrl', 'GET, SignatureV4.presign (server)') },
};
mkdirSync('docs/bench', { recursive: true });
writeFileSync('docs/bench/server-presign.json', `${JSON.stringify(out, null, 2)}\n`);
const rows = Object.entries(results).map(([k, v]) => `| ${k} | ${v} |`);
writeFileSync(
  'docs/bench/server-presign.md',
  [
    '# Presigned URL cost (`npx tsx bench/server/presign.ts`)',
    '',
    `${out.method}; ${process.version}. Both sign the same request (the SDK adds its x-id query parameter).`,
    '',
    '| variant | µs CPU per URL |',
    '|---|---|',
    ...rows,
    '',
    `SDK getSignedUrl / direct SignatureV4: PUT ×${out.sdkOverDirect.put}, GET ×${out.sdkOverDirect.get}.`,
    '',
  ].join('\n'),
);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
client.destroy();
