// One API process under the timeline benchmark, started by bench/timeline/run.ts: the real app
// on real PostgreSQL and RGW, timeline activity from TIMELINE_ACTIVITY (raw | rollups). Prints one
// JSON line with its URL and the URL of a side listener that reports the process's CPU time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp, start } from '../../server/app';
import { defaultSettings } from '../../server/config';
import { BossQueue } from '../../server/store/job-queue';
import { createS3Client, S3BlobStore } from '../../server/store/blob/s3-blob-store';
import { Db } from '../../server/store/db';

const env = process.env as Record<string, string>;
const activity = env.TIMELINE_ACTIVITY === 'raw' ? 'raw' : 'rollups';
const db = new Db(env.DATABASE_URL as string, 20);
const client = createS3Client({ endpoint: env.S3_ENDPOINT, region: env.S3_REGION as string, forcePathStyle: true, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY });
const queue = await BossQueue.start(env.DATABASE_URL as string, { sendOnly: true });
let base = '';
const { app } = createApp({
  db,
  blobs: new S3BlobStore(client, env.S3_BUCKET as string),
  jobs: queue,
  settings: defaultSettings(env.STINT_SECRET as string, { rateLimitPerMinute: 10_000_000, loginRateLimitPerMinute: 10_000, timelineActivity: activity }),
  log: pino({ level: 'silent' }),
  publicUrl: () => base,
});
const api = await start(app);
base = api.url;
const cpu = createServer((_req, res) => void res.end(JSON.stringify(process.cpuUsage())));
await new Promise<void>((resolve) => cpu.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ url: api.url, cpu: `http://127.0.0.1:${(cpu.address() as AddressInfo).port}` })}\n`);
process.on('SIGTERM', async () => {
  cpu.close();
  await api.stop();
  await queue.stop();
  await db.close();
  client.destroy();
  process.exit(0);
});
