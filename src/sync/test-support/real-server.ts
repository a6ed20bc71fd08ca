import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { createApp, start } from '../../../server/app';
import { defaultSettings } from '../../../server/config';
import { Db } from '../../../server/store/db';
import { migrate } from '../../../server/store/migrate';
import { mintEnrollmentToken, seedOrg, type OrgSeed } from '../../../server/demo/seed';
import { S3BlobStore, createS3Client } from '../../../server/store/blob/s3-blob-store';
import { processScreenshots } from '../../../server/jobs/screenshot-process.job';

/**
 * The real Stint server (Express app, real PostgreSQL, real S3) started in this process on
 * 127.0.0.1, with what sync tests need to steer it: restart on the same port (an outage),
 * a separate S3 endpoint for presigning (to put a fault proxy between device and S3), short
 * presigned URLs or access tokens, and admin actions over HTTP.
 */
export interface S3Coordinates {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RealServerOptions {
  postgresUrl: string;
  s3: S3Coordinates;
  /** Where the server's S3 client (presigned URLs and its HEADs) connects, e.g. a fault proxy in front of S3. */
  s3Via?: string;
  presignSeconds?: number;
  accessTokenSeconds?: number;
  /** The server's clock. */
  now?: () => Date;
}

export interface RealServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly bucket: string;
  readonly s3: S3Client;
  /** An admin, a manager of a team with employee and employee2, an outsider in no team of theirs, a project. */
  readonly seed: OrgSeed;
  enrollmentToken(userId?: string): Promise<string>;
  /** Stop listening (connections cut): the device sees ECONNREFUSED. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
  /**
   * Run the verify jobs queued so far, as the worker would (HEAD, decode, thumbnail): until then a
   * batch-completed screenshot is `received` and no timeline shows it. No worker runs on its own here.
   */
  verifyUploads(): Promise<void>;
  /** Revoke a device the way an admin does, over HTTP. */
  revokeDevice(deviceId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRealServer(o: RealServerOptions): Promise<RealServer> {
  const dbName = `sync_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: o.postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(o.postgresUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const db = new Db(databaseUrl);
  await migrate(db);
  const seed = await seedOrg(db);

  const s3 = new S3Client({
    region: o.s3.region,
    endpoint: o.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: o.s3.accessKeyId, secretAccessKey: o.s3.secretAccessKey },
  });
  const bucket = `sync-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const serverS3 = createS3Client({ ...o.s3, endpoint: o.s3Via ?? o.s3.endpoint, forcePathStyle: true });
  // The production path: the server's own SigV4 signer for path-style endpoints (as server/runtime.ts does).
  const blobs = new S3BlobStore(serverS3, bucket, { endpoint: o.s3Via ?? o.s3.endpoint, region: o.s3.region });
  let url = '';
  const settings = defaultSettings(randomUUID() + randomUUID(), {
    presignSeconds: o.presignSeconds ?? 600,
    accessTokenSeconds: o.accessTokenSeconds ?? 900,
    rateLimitPerMinute: 1_000_000,
    loginRateLimitPerMinute: 1_000_000,
  });
  const queued: object[] = [];
  const { app, ctx } = createApp({
    db,
    blobs,
    jobs: { send: async (_name, data) => void queued.push(data), depth: async () => queued.length, wake: () => undefined },
    settings,
    now: o.now,
    publicUrl: () => url,
  });
  let listening = await start(app);
  url = listening.url;
  const port = Number(new URL(url).port);

  const adminToken = async () => {
    const res = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seed.admin.email, password: seed.admin.password }),
    });
    if (!res.ok) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  return {
    get url() {
      return url;
    },
    databaseUrl,
    bucket,
    s3,
    seed,
    enrollmentToken: (userId = seed.employee.id) => mintEnrollmentToken(db, seed.orgId, userId, o.now?.() ?? new Date()),
    stop: () => listening.stop(),
    async restart() {
      listening = await start(app, { port });
    },
    async verifyUploads() {
      for (const data of queued.splice(0)) await processScreenshots(ctx, data);
    },
    async revokeDevice(deviceId) {
      const res = await fetch(`${url}/v1/devices/${deviceId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await adminToken()}` } });
      if (!res.ok) throw new Error(`revoke failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await listening.stop().catch(() => undefined);
      await db.close();
      s3.destroy();
      serverS3.destroy();
    },
  };
}
