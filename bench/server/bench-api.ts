// The real Stint API inside a benchmark's server process: built from the environment its runner
// passes (DATABASE_URL, S3_*), rate limits out of the way so the load measures the work, not 429s.
import { pino } from 'pino';
import { createApp, start } from '../../server/app';
import { defaultSettings, type AppSettings } from '../../server/config';
import { BossQueue } from '../../server/store/job-queue';
import { createS3Client, S3BlobStore } from '../../server/store/blob/s3-blob-store';
import { Db } from '../../server/store/db';

export interface BenchApi {
  url: string;
  db: Db;
  stop(): Promise<void>;
}

export async function startBenchApi(secret: string, overrides: Partial<AppSettings> = {}): Promise<BenchApi> {
  const env = process.env as Record<string, string>;
  const db = new Db(env.DATABASE_URL as string, 20);
  const client = createS3Client({ endpoint: env.S3_ENDPOINT, region: env.S3_REGION as string, forcePathStyle: true, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY });
  const queue = await BossQueue.start(env.DATABASE_URL as string, { sendOnly: true });
  let base = '';
  const { app } = createApp({
    db,
    blobs: new S3BlobStore(client, env.S3_BUCKET as string),
    jobs: queue,
    settings: defaultSettings(secret, { rateLimitPerMinute: 10_000_000, loginRateLimitPerMinute: 10_000, ...overrides }),
    log: pino({ level: 'silent' }),
    publicUrl: () => base,
  });
  const api = await start(app);
  base = api.url;
  return {
    url: api.url,
    db,
    async stop() {
      await api.stop();
      await queue.stop();
      await db.close();
      client.destroy();
    },
  };
}
