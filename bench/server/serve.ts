// The server under benchmark, in a process of its own so its CPU time can be read apart from
// the load generator's. Started by bench/server/run.ts; prints one JSON line with its URLs.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, start } from '../../server/app';
import { defaultSettings } from '../../server/config';
import { BossQueue } from '../../server/store/job-queue';
import { createS3Client, S3BlobStore } from '../../server/store/blob/s3-blob-store';
import { Db } from '../../server/store/db';
import { AccessTokens } from '../../server/auth/tokens';
import { RevocationCheck } from '../../server/auth/revocation-check';
import { BASELINE_SCHEMA, baselineApp } from './baseline-app';

const env = process.env as Record<string, string>;
const secret = randomBytes(32).toString('base64url');
const db = new Db(env.DATABASE_URL as string, 20);
const client = createS3Client({ endpoint: env.S3_ENDPOINT, region: env.S3_REGION as string, forcePathStyle: true, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY });
const queue = await BossQueue.start(env.DATABASE_URL as string, { sendOnly: true });
let base = '';
const { app } = createApp({
  db,
  blobs: new S3BlobStore(client, env.S3_BUCKET as string),
  jobs: queue,
  settings: defaultSettings(secret, { rateLimitPerMinute: 10_000_000, loginRateLimitPerMinute: 10_000 }),
  log: pino({ level: 'silent' }),
  publicUrl: () => base,
});
const stint = await start(app);
base = stint.url;

const legacyPool = new pg.Pool({ connectionString: env.BASELINE_DATABASE_URL, max: 20 });
await legacyPool.query(BASELINE_SCHEMA);
const legacy = baselineApp(legacyPool, new AccessTokens(secret, 900, () => new Date()), new RevocationCheck(db.pool, () => new Date()));
legacy.get('/bench/cpu', (_req, res) => void res.json(process.cpuUsage()));
const legacyListening = await start(legacy);

process.stdout.write(`${JSON.stringify({ stint: stint.url, baseline: legacyListening.url })}\n`);
process.on('SIGTERM', async () => {
  await stint.stop();
  await legacyListening.stop();
  await queue.stop();
  await db.close();
  await legacyPool.end();
  client.destroy();
  process.exit(0);
});
