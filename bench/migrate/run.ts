// `npm run bench -- migrate`: migrate:legacy from a base64-era table (the baseline schema of
// bench/server) into Stint on real PostgreSQL + RGW. Writes docs/bench/migrate.json and .md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { seedOrg } from '../../server/demo/seed';
import { createS3Client } from '../../server/store/blob/s3-blob-store';
import { Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { createTestDatabase } from '../../server/test-support/test-database';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { BASELINE_SCHEMA } from '../server/baseline-app';
import { desktopScene } from '../../server/demo/scene';

// RGW here keeps objects in a 1 GiB memstore: 20,000 real-sized screenshots (1.8 GB) do not fit,
// so the large run writes to the fs blob store and the 2,000-row runs show RGW and fs side by side.
const PLAN = (process.env.BENCH_MIGRATE_PLAN ?? '2000:s3,2000:fs,20000:fs').split(',').map((p) => {
  const [rows, store] = p.split(':');
  return { rows: Number(rows), store: store === 'fs' ? ('fs' as const) : ('s3' as const) };
});

interface RunResult {
  rows: number;
  store: 's3' | 'fs';
  tableMb: number;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  /** RSS at 10 %, 50 % and 90 % of the run's duration. */
  rssAtMb: [number, number, number];
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function fillLegacy(url: string, table: string, rows: number, users: string[], image: Buffer): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(BASELINE_SCHEMA.replace('baseline_screenshots', table));
    // Server-side, in slices: one statement per 1,000 rows keeps the bench's own memory small.
    for (let done = 0; done < rows; done += 1000) {
      await c.query(
        `INSERT INTO ${table} (id, user_id, taken_at, content_type, image)
         SELECT gen_random_uuid(), ($1::uuid[])[1 + i % cardinality($1::uuid[])], timestamptz '2026-01-05 08:00Z' + i * interval '3 minutes', 'image/webp', $2
           FROM generate_series($3::int, $4::int) AS i`,
        [users, image, done, Math.min(rows, done + 1000) - 1],
      );
    }
  } finally {
    await c.end();
  }
}

function runMigration(env: Record<string, string>, args: string[]): Promise<{ summary: Record<string, number>; rss: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    // The same command line as package.json's migrate:legacy (its heap cap makes V8 collect the
    // pages' transient strings early instead of growing the heap).
    const child = spawn(process.execPath, ['--max-old-space-size=160', '--import', 'tsx', 'server/legacy/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const rss: number[] = [];
    const timer = setInterval(() => {
      const v = child.pid ? rssMb(child.pid) : null;
      if (v !== null) rss.push(v);
    }, 100);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`migrate:legacy exited ${code}: ${err}`));
      resolve({ summary: JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>, rss, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (m: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
  const loadBefore = os.loadavg()[0] ?? 0;
  const [pgSrv, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stint-bench-migrate-'));
  const stops: Array<() => Promise<unknown>> = [() => s3.stop(), () => pgSrv.stop(), () => rm(dir, { recursive: true, force: true })];
  try {
    const [stint, legacy] = await Promise.all([createTestDatabase(pgSrv.url), createTestDatabase(pgSrv.url)]);
    const db = new Db(stint.url, 2);
    await migrate(db);
    const seed = await seedOrg(db);
    await db.close();
    const bucket = `stint-bench-${randomBytes(4).toString('hex')}`;
    const s3c = createS3Client({ ...s3, forcePathStyle: true });
    await s3c.send(new CreateBucketCommand({ Bucket: bucket }));
    s3c.destroy();
    const image = await desktopScene(1920, 1080, { format: 'webp', quality: 70 });
    const users = [seed.employee.id, seed.employee2.id, seed.outsider.id, seed.manager.id];
    const env = {
      DATABASE_URL: stint.url,
      STINT_DATA_DIR: dir,
      STINT_SECRET: randomBytes(32).toString('base64url'),
      BLOB_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    };
    const runs: RunResult[] = [];
    for (const [i, { rows, store }] of PLAN.entries()) {
      const table = `legacy_${i}_${rows}`;
      await fillLegacy(legacy.url, table, rows, users, image);
      const runEnv = store === 's3' ? env : { ...env, BLOB_DRIVER: 'fs', STINT_DATA_DIR: path.join(dir, `fs-${i}`) };
      log(`legacy table ${table}: ${rows} rows of ${image.length} bytes`);
      const r = await runMigration(runEnv, ['--from', legacy.url, '--table', table, '--json', ...(process.env.BENCH_MIGRATE_ARGS ?? '').split(' ').filter(Boolean)]);
      const at = (f: number) => Math.round((r.rss[Math.min(r.rss.length - 1, Math.floor(r.rss.length * f))] ?? 0) * 10) / 10;
      const mb = (rows * image.length) / 1048576;
      runs.push({
        rows,
        store,
        tableMb: Math.round(mb * 10) / 10,
        seconds: Math.round(r.seconds * 10) / 10,
        rowsPerSecond: Math.round(r.summary.rowsPerSecond ?? 0),
        mbPerSecond: Math.round((r.summary.mbPerSecond ?? 0) * 10) / 10,
        peakRssMb: Math.round(Math.max(...r.rss) * 10) / 10,
        rssAtMb: [at(0.1), at(0.5), at(0.9)],
      });
      if (r.summary.migrated !== rows) throw new Error(`migrated ${r.summary.migrated} of ${rows}`);
      log(`migrated ${rows} rows: ${JSON.stringify(runs[runs.length - 1])} ${JSON.stringify(r.summary.memoryMb)}`);
    }
    const result = { measuredAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, imageBytes: image.length, loadBefore, loadAfter: os.loadavg()[0] ?? 0, runs };
    mkdirSync('docs/bench', { recursive: true });
    writeFileSync('docs/bench/migrate.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('docs/bench/migrate.md', render(result));
    log('wrote docs/bench/migrate.json and docs/bench/migrate.md');
  } finally {
    for (const s of stops) await s().catch(() => undefined);
  }
}

function render(r: { measuredAt: string; node: string; cpus: number; imageBytes: number; loadBefore: number; loadAfter: number; runs: RunResult[] }): string {
  return [
    '# Migration from base64-in-PostgreSQL',
    '',
    `Measured ${r.measuredAt} on ${r.cpus} CPUs, Node ${r.node}; 1-minute load ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)}.`,
    `Legacy table: the baseline schema of bench/server (bytea), every row a ${r.imageBytes}-byte 1920×1080 WebP. Real PostgreSQL 18`,
    'on 127.0.0.1, sharing the 2 cores with the migration; blob store a real Ceph RGW (SigV4) or the fs driver (the RGW of the',
    'test infrastructure keeps objects in a 1 GiB memstore, too small for 20,000 real-sized screenshots). Each object is PUT and',
    'read back (sha256 compared) before its row commits. RSS of the migration process sampled every 100 ms (`/proc/<pid>/status`),',
    'start-up included; rows/s and MB/s count from the command\'s start to its end.',
    '',
    '| legacy rows | blob store | table MB | seconds | rows/s | MB/s | peak RSS MB | RSS at 10 % / 50 % / 90 % of the run, MB |',
    '|---|---|---|---|---|---|---|---|',
    ...r.runs.map((x) => `| ${x.rows} | ${x.store === 's3' ? 'RGW' : 'fs'} | ${x.tableMb} | ${x.seconds} | ${x.rowsPerSecond} | ${x.mbPerSecond} | ${x.peakRssMb} | ${x.rssAtMb.join(' / ')} |`),
    '',
    'Peak RSS at 10× the rows (same store) is the flatness check: memory is bounded by a page of metadata and one chunk of images (8 MB by default),',
    'not by the table.',
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
