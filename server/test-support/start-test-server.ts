import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { pino, type Logger } from 'pino';
import { createApp, start } from '../app';
import { defaultSettings, type AppSettings } from '../config';
import { BossQueue, type JobQueue } from '../store/job-queue';
import { startWorkers } from '../jobs/workers';
import type { ServiceContext } from '../services/context';
import type { BlobStore } from '../store/blob/blob-store';
import { FsBlobStore } from '../store/blob/fs-blob-store';
import { createS3Client, S3BlobStore } from '../store/blob/s3-blob-store';
import { Db } from '../store/db';
import { migrate } from '../store/migrate';
import { mintEnrollmentToken, seedOrg, type OrgSeed } from '../demo/seed';

export type TestBlobOption =
  | { kind: 'fs'; dir?: string }
  | {
      kind: 's3';
      endpoint: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      bucket?: string;
    };

export interface TestServerOptions {
  /** A database of its own (see test/infra/databases.ts); migrated here. */
  databaseUrl: string;
  /** A reader database for timeline reads (DATABASE_READ_URL); not migrated here. */
  readDatabaseUrl?: string;
  blob: TestBlobOption;
  now?: () => Date;
  settings?: Partial<AppSettings>;
  /** Run the pg-boss workers in this process (default true). */
  jobs?: boolean;
  /** Seed a demo org (default true). */
  seed?: boolean;
  logLevel?: 'silent' | 'info' | 'debug';
  /** A logger of the test's own (overrides logLevel), e.g. to read what the server logs. */
  logger?: Logger;
}

export interface TestSeed extends OrgSeed {
  /** Mints an enrollment token for a user (default: the employee). */
  enrollmentToken(userId?: string): Promise<string>;
}

export interface TestServer {
  url: string;
  seed: TestSeed;
  ctx: ServiceContext;
  db: Db;
  blobs: BlobStore;
  /** Seeds another org on the same server (cross-org tests). */
  seedOrg(): Promise<TestSeed>;
  stop(): Promise<void>;
}

/** The real server in-process on 127.0.0.1:0 with real PostgreSQL and a real blob store. */
export async function startTestServer(opts: TestServerOptions): Promise<TestServer> {
  const now = opts.now ?? (() => new Date());
  const cleanups: Array<() => Promise<unknown>> = [];
  const db = new Db(opts.databaseUrl, 10);
  cleanups.push(() => db.close());
  try {
    await migrate(db);
    const secret = randomBytes(32).toString('base64url');
    let base = '';
    let blobs: BlobStore;
    if (opts.blob.kind === 'fs') {
      const dir = opts.blob.dir ?? (await mkdtemp(path.join(tmpdir(), 'stint-blobs-')));
      if (!opts.blob.dir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
      blobs = new FsBlobStore(dir, secret, () => base, now);
    } else {
      const client = createS3Client({ ...opts.blob, forcePathStyle: true });
      const bucket = opts.blob.bucket ?? `stint-test-${randomBytes(5).toString('hex')}`;
      if (!opts.blob.bucket) await client.send(new CreateBucketCommand({ Bucket: bucket }));
      blobs = new S3BlobStore(client, bucket);
      cleanups.push(async () => client.destroy());
    }
    const queue = await BossQueue.start(opts.databaseUrl);
    cleanups.push(() => queue.stop());
    const jobs: JobQueue = queue;
    const readDb = opts.readDatabaseUrl ? new Db(opts.readDatabaseUrl, 4) : undefined;
    if (readDb) cleanups.push(() => readDb.close());
    const { app, ctx } = createApp({
      db,
      ...(readDb ? { readDb } : {}),
      blobs,
      jobs,
      settings: defaultSettings(secret, opts.settings),
      now,
      log: opts.logger ?? pino({ level: opts.logLevel ?? 'silent' }),
      publicUrl: () => base,
    });
    if (opts.jobs !== false) await startWorkers(queue, ctx, 0.5);
    const listening = await start(app);
    base = listening.url;
    cleanups.push(() => listening.stop());
    const withTokens = (s: OrgSeed): TestSeed => ({
      ...s,
      enrollmentToken: (userId = s.employee.id) => mintEnrollmentToken(db, s.orgId, userId, now()),
    });
    const seed = opts.seed === false ? (null as unknown as TestSeed) : withTokens(await seedOrg(db));
    return {
      url: listening.url,
      seed,
      ctx,
      db,
      blobs,
      seedOrg: async () => withTokens(await seedOrg(db)),
      stop: async () => {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    throw err;
  }
}
