import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { seedOrg, type OrgSeed } from '../demo/seed';
import { createS3Client } from '../store/blob/s3-blob-store';
import { Db } from '../store/db';
import { migrate } from '../store/migrate';
import { spawnServerProcess, type Spawned } from './spawn-server';
import { createTestDatabase } from './test-database';

export interface S3Coordinates {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ApiProcesses {
  /** Each API process's base URL. */
  urls: string[];
  seed: OrgSeed;
  databaseUrl: string;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * `apis` real API processes (server/main.ts) and optionally one worker on one fresh database and
 * bucket, as production scales out: nothing shared between them but PostgreSQL and S3.
 */
export async function startApiProcesses(o: { pgUrl: string; s3: S3Coordinates; apis: number; worker: boolean; env?: Record<string, string> }): Promise<ApiProcesses> {
  const database = await createTestDatabase(o.pgUrl);
  const db = new Db(database.url, 2);
  await migrate(db);
  const seed = await seedOrg(db);
  await db.close();
  const bucket = `stint-scale-${randomBytes(4).toString('hex')}`;
  const client = createS3Client({ ...o.s3, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  const dir = await mkdtemp(path.join(tmpdir(), 'stint-scale-'));
  const shared = {
    DATABASE_URL: database.url,
    STINT_SECRET: randomBytes(32).toString('base64url').padEnd(40, 'x'),
    BLOB_DRIVER: 's3',
    S3_ENDPOINT: o.s3.endpoint,
    S3_REGION: o.s3.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: o.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: o.s3.secretAccessKey,
    PORT: '0',
    JOBS_IN_PROCESS: 'false',
    ...o.env,
  };
  const procs: Spawned[] = [];
  const stop = async () => {
    for (const p of procs) await p.stop();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const start = (script: 'main' | 'worker', name: string) => {
      const p = spawnServerProcess(script, { ...shared, STINT_DATA_DIR: path.join(dir, name) });
      procs.push(p);
      return p;
    };
    const apis = Array.from({ length: o.apis }, (_, i) => start('main', `api-${i}`));
    const worker = o.worker ? start('worker', 'worker') : null;
    const urls = await Promise.all(apis.map(async (p) => (await p.waitFor(/listening on (http:\/\/\S+)/))[1] as string));
    if (worker) await worker.waitFor(/stint worker running/);
    return { urls, seed, databaseUrl: database.url, bucket, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
