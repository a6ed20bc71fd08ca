import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { defaultSettings, type AppSettings, type Env } from './config';
import { BossQueue } from './store/job-queue';
import type { BlobStore } from './store/blob/blob-store';
import { FsBlobStore } from './store/blob/fs-blob-store';
import { createS3Client, S3BlobStore } from './store/blob/s3-blob-store';
import { Db } from './store/db';
import { startEmbeddedPostgres, SYSTEM_DATA_DIR } from './store/embedded-postgres';
import { migrate } from './store/migrate';
import { postgresRateLimitStores, type RateLimitStores } from './store/rate-limit-store';

export interface Runtime {
  env: Env;
  dataDir: string;
  log: Logger;
  db: Db;
  /** The reader pool of DATABASE_READ_URL (timeline reads), when set. */
  readDb: Db | undefined;
  databaseUrl: string;
  blobs: BlobStore;
  queue: BossQueue;
  settings: AppSettings;
  /** The API's rate-limit counters in PostgreSQL (API processes only). */
  rateLimits: RateLimitStores | undefined;
  /** Set once the HTTP server listens (fs-driver URLs point here). */
  setPublicUrl(url: string): void;
  publicUrl(): string;
  close(): Promise<void>;
}

/**
 * The data dir: STINT_DATA_DIR, else the user's data dir; for root, whose home is private, the
 * place of a system service's data, /var/lib/stint (the postgres user runs the cluster in it).
 */
export function dataDirOf(env: { STINT_DATA_DIR?: string | undefined }, isRoot = process.getuid?.() === 0): string {
  if (env.STINT_DATA_DIR) return path.resolve(env.STINT_DATA_DIR);
  return isRoot ? SYSTEM_DATA_DIR : envPaths('stint', { suffix: '' }).data;
}

/** A file in the data dir holding a generated secret, made once (0600) and reused on every run. */
function persistentSecret(file: string, bytes = 32): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(bytes).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The blob store the environment names: S3 (BLOB_DRIVER=s3, S3_*) or files under <data dir>/blobs. */
export function openBlobStore(env: Env, dataDir: string, secret: string, publicUrl: () => string): BlobStore {
  if (env.BLOB_DRIVER === 's3') {
    const client = createS3Client({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    });
    return new S3BlobStore(client, env.S3_BUCKET as string);
  }
  return new FsBlobStore(path.join(dataDir, 'blobs'), secret, publicUrl, () => new Date());
}

/** The server's HMAC secret: STINT_SECRET, else the one generated once in the data dir. */
export function serverSecret(env: Env, dataDir: string): string {
  return env.STINT_SECRET ?? persistentSecret(path.join(dataDir, 'secret'));
}

/**
 * Everything a server or worker process needs, from the environment: DATABASE_URL or an
 * embedded PostgreSQL in the data dir; S3 or files in the data dir; migrations applied.
 */
export async function openRuntime(env: Env, role: 'server' | 'worker' | 'migrate'): Promise<Runtime> {
  const log = pino({ level: env.LOG_LEVEL, base: { role } });
  const dataDir = dataDirOf(env);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const closers: Array<() => Promise<unknown>> = [];
  let databaseUrl = env.DATABASE_URL;
  const runtimeFile = path.join(dataDir, 'embedded-postgres.url');
  if (!databaseUrl && role !== 'server') {
    if (!existsSync(runtimeFile)) throw new Error('set DATABASE_URL, or start `npm run server` first (its embedded PostgreSQL is shared)');
    databaseUrl = readFileSync(runtimeFile, 'utf8').trim();
  }
  if (!databaseUrl) {
    const clusterDir = path.join(dataDir, 'pg');
    const password = persistentSecret(path.join(dataDir, 'pg-password'), 18);
    log.info({ dir: clusterDir }, 'starting embedded PostgreSQL');
    const embedded = await startEmbeddedPostgres({ dataDir: clusterDir, password, log: (l) => log.debug({ pg: l.trim() }) });
    closers.push(() => embedded.stop());
    databaseUrl = await ensureDatabase(embedded.url, 'stint');
    writeFileSync(runtimeFile, `${databaseUrl}\n`, { mode: 0o600 });
  }
  const db = new Db(databaseUrl, 20);
  closers.push(() => db.close());
  await migrate(db);
  let readDb: Db | undefined;
  if (env.DATABASE_READ_URL && role === 'server') {
    const reader = new Db(env.DATABASE_READ_URL, 20);
    closers.push(() => reader.close());
    await reader.ping().catch((err: unknown) => {
      throw new Error(`DATABASE_READ_URL: cannot reach the reader (${err instanceof Error ? err.message : String(err)})`);
    });
    readDb = reader;
  }
  const secret = serverSecret(env, dataDir);
  let publicUrl = env.PUBLIC_URL?.replace(/\/$/, '') ?? '';
  const blobs = openBlobStore(env, dataDir, secret, () => publicUrl);
  let rateLimits: RateLimitStores | undefined;
  if (role === 'server') {
    const made = await postgresRateLimitStores(databaseUrl);
    closers.push(() => made.close());
    rateLimits = made;
  }
  const queue = await BossQueue.start(databaseUrl, { sendOnly: role === 'migrate' || (role === 'server' && !env.JOBS_IN_PROCESS) });
  closers.push(() => queue.stop());
  const settings = defaultSettings(secret, {
    presignSeconds: env.PRESIGN_MINUTES * 60,
    accessTokenSeconds: env.ACCESS_TOKEN_MINUTES * 60,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
  });
  return {
    env,
    dataDir,
    log,
    db,
    readDb,
    databaseUrl,
    blobs,
    queue,
    settings,
    rateLimits,
    setPublicUrl: (url) => {
      if (!env.PUBLIC_URL) publicUrl = url;
    },
    publicUrl: () => publicUrl,
    close: async () => {
      for (const c of closers.reverse()) await c().catch((err) => log.error({ err }, 'shutdown step failed'));
    },
  };
}
