import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';

/**
 * The real Stint server (Express app, real PostgreSQL, real S3) started in this process on
 * 127.0.0.1, with what sync tests need to steer it: restart on the same port (an outage),
 * a separate S3 endpoint for presigning (to put a fault proxy between device and S3), short
 * presigned URLs or access tokens, and admin actions over HTTP.
 *
 * The server modules are loaded by path at run time: src/sync's tsconfig only knows src/.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const load = (rel: string) => import(pathToFileURL(join(ROOT, rel)).href);

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

interface SeedUser {
  id: string;
  email: string;
  password: string;
}

export interface RealServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly bucket: string;
  readonly s3: S3Client;
  readonly seed: { orgId: string; admin: SeedUser; manager: SeedUser; employee: SeedUser; project: { id: string; taskId: string } };
  enrollmentToken(userId?: string): Promise<string>;
  /** Stop listening (connections cut): the device sees ECONNREFUSED. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
  /** Revoke a device the way an admin does, over HTTP. */
  revokeDevice(deviceId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRealServer(o: RealServerOptions): Promise<RealServer> {
  const [appMod, configMod, dbMod, migrateMod, seedMod, s3Mod] = await Promise.all([
    load('server/app.ts'),
    load('server/config.ts'),
    load('server/store/db.ts'),
    load('server/store/migrate.ts'),
    load('server/store/seed.ts'),
    load('server/store/blob/s3-blob-store.ts'),
  ]);
  const dbName = `sync_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: o.postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(o.postgresUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const db = new dbMod.Db(databaseUrl);
  await migrateMod.migrate(db);
  const seed = await seedMod.seedOrg(db);

  const s3 = new S3Client({
    region: o.s3.region,
    endpoint: o.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: o.s3.accessKeyId, secretAccessKey: o.s3.secretAccessKey },
  });
  const bucket = `sync-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const serverS3 = s3Mod.createS3Client({ ...o.s3, endpoint: o.s3Via ?? o.s3.endpoint, forcePathStyle: true });
  const blobs = new s3Mod.S3BlobStore(serverS3, bucket);
  let url = '';
  const settings = configMod.defaultSettings(randomUUID() + randomUUID(), {
    presignSeconds: o.presignSeconds ?? 600,
    accessTokenSeconds: o.accessTokenSeconds ?? 900,
    rateLimitPerMinute: 1_000_000,
    loginRateLimitPerMinute: 1_000_000,
  });
  const { app } = appMod.createApp({
    db,
    blobs,
    jobs: { send: async () => undefined, depth: async () => 0 },
    settings,
    now: o.now,
    publicUrl: () => url,
  });
  let listening = await appMod.start(app);
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
    enrollmentToken: (userId = seed.employee.id) => seedMod.mintEnrollmentToken(db, seed.orgId, userId, o.now?.() ?? new Date()),
    stop: () => listening.stop(),
    async restart() {
      listening = await appMod.start(app, { port });
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
