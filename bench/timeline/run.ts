// `npm run bench -- timeline`: one user-day of the timeline on 50 users × 90 days of history,
// activity summed from the raw minutes (before) and from the 5-minute rollups (after), side by
// side in one run: two API processes on one database, alternated round by round.
// Writes docs/bench/timeline.json and docs/bench/timeline.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { mintEnrollmentToken, seedOrg } from '../../server/demo/seed';
import { createS3Client } from '../../server/store/blob/s3-blob-store';
import { rebuildActivityRollups } from '../../server/store/activity-rollups.repository';
import { Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { enrollDevice } from '../../server/test-support/api';
import { createTestDatabase } from '../../server/test-support/test-database';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { spawnBenchChild } from '../server/bench-child';
import { percentiles, runLoad, timed } from '../server/load';
import { postgresCpu } from '../server/postgres-cpu';
import { seedHistory } from '../server/seed-history';
import { renderMarkdown, type Mode, type TimelineBench } from './report';

const USERS = 50;
const DAYS = 90;
const LAST_DAY = '2025-03-31';
const ROUNDS = Number(process.env.BENCH_TIMELINE_ROUNDS ?? 3);
const PER_PHASE = Number(process.env.BENCH_TIMELINE_QUERIES ?? 150);
const PHASES: Array<{ concurrency: number; tz: string }> = [
  { concurrency: 1, tz: 'UTC' },
  { concurrency: 8, tz: 'UTC' },
  { concurrency: 8, tz: 'Asia/Kathmandu' },
];

async function json<T>(url: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (m: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
  const loadBefore = os.loadavg()[0] ?? 0;
  const [pgSrv, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const stops: Array<() => Promise<unknown>> = [() => s3.stop(), () => pgSrv.stop()];
  try {
    const database = await createTestDatabase(pgSrv.url);
    const db = new Db(database.url, 4);
    stops.unshift(() => db.close());
    await migrate(db);
    const seed = await seedOrg(db);
    const hist = await seedHistory(db, { orgId: seed.orgId, projectId: seed.project.id, users: USERS, days: DAYS, lastDay: LAST_DAY });
    log(`seeded ${hist.minutes} activity minutes, ${hist.screenshots} screenshots`);
    const rebuildT0 = performance.now();
    await db.system((tx) => rebuildActivityRollups(tx));
    const rebuildSeconds = (performance.now() - rebuildT0) / 1000;
    // Pushes from many devices write a user-day's buckets far apart, as they write its minutes
    // (seed-history lays those out minute by minute across all users): scatter the buckets too.
    await db.system(async (tx) => {
      await tx.query('CREATE TEMP TABLE scattered ON COMMIT DROP AS SELECT * FROM activity_rollups ORDER BY random()');
      await tx.query('DELETE FROM activity_rollups');
      await tx.query('INSERT INTO activity_rollups SELECT * FROM scattered');
    });
    await db.pool.query('VACUUM (ANALYZE) activity_minutes, activity_rollups, screenshots, time_entries, users');
    const sizes = (
      await db.pool.query<{ minutes: string; rollups: string; buckets: string }>(
        `SELECT pg_total_relation_size('activity_minutes') AS minutes, pg_total_relation_size('activity_rollups') AS rollups, (SELECT count(*) FROM activity_rollups) AS buckets`,
      )
    ).rows[0];
    log(`rollups rebuilt in ${rebuildSeconds.toFixed(1)} s: ${sizes?.buckets} buckets`);

    const bucket = `stint-bench-${randomBytes(4).toString('hex')}`;
    const s3c = createS3Client({ ...s3, forcePathStyle: true });
    await s3c.send(new CreateBucketCommand({ Bucket: bucket }));
    s3c.destroy();
    const secret = randomBytes(32).toString('base64url');
    const shared = { DATABASE_URL: database.url, S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, STINT_SECRET: secret };
    const servers = {} as Record<Mode, { url: string; cpu: string }>;
    for (const mode of ['raw', 'rollups'] as const) {
      const s = spawnBenchChild<{ url: string; cpu: string }>('bench/timeline/serve.ts', { ...shared, TIMELINE_ACTIVITY: mode });
      stops.unshift(() => s.stop());
      servers[mode] = await s.ready;
    }
    const admin = await json<{ accessToken: string }>(`${servers.raw.url}/v1/auth/login`, { method: 'POST', body: { email: seed.admin.email, password: seed.admin.password } });
    const pgCpu = await postgresCpu(pgSrv.url);
    const apiCpu = async (mode: Mode) => {
      const u = await json<{ user: number; system: number }>(servers[mode].cpu);
      return (u.user + u.system) / 1000;
    };
    log('servers up');

    const samples = new Map<string, { ms: number[]; roundP95: number[]; queries: number; wallMs: number; apiCpuMs: number; dbCpuMs: number; slots: number }>();
    const key = (mode: Mode, p: { concurrency: number; tz: string }) => `${mode}|${p.concurrency}|${p.tz}`;
    for (let round = 0; round < ROUNDS; round++) {
      const order: Mode[] = round % 2 === 0 ? ['raw', 'rollups'] : ['rollups', 'raw'];
      for (const mode of order) {
        for (const phase of PHASES) {
          const lat: number[] = [];
          let slots = 0;
          const before = { api: await apiCpu(mode), db: pgCpu() };
          const { wallMs } = await runLoad(PER_PHASE, phase.concurrency, async (i) => {
            const n = round * PER_PHASE + i;
            const user = hist.userIds[n % USERS];
            const day = new Date(Date.parse(LAST_DAY) - (n % DAYS) * 86_400_000).toISOString().slice(0, 10);
            const r = await timed(lat, () =>
              json<{ slots: unknown[] }>(`${servers[mode].url}/v1/timeline?userId=${user}&date=${day}&tz=${encodeURIComponent(phase.tz)}`, { token: admin.accessToken }),
            );
            slots = Math.max(slots, r.slots.length);
          });
          const after = { api: await apiCpu(mode), db: pgCpu() };
          const acc = samples.get(key(mode, phase)) ?? { ms: [], roundP95: [], queries: 0, wallMs: 0, apiCpuMs: 0, dbCpuMs: 0, slots: 0 };
          acc.ms.push(...lat);
          acc.roundP95.push(percentiles(lat).p95);
          acc.queries += PER_PHASE;
          acc.wallMs += wallMs;
          acc.apiCpuMs += after.api - before.api;
          acc.dbCpuMs += after.db - before.db;
          acc.slots = Math.max(acc.slots, slots);
          samples.set(key(mode, phase), acc);
          log(`round ${round + 1} ${mode} c=${phase.concurrency} ${phase.tz}: p95 ${percentiles(lat).p95} ms`);
        }
      }
    }
    const round2 = (x: number) => Math.round(x * 100) / 100;
    const rows: TimelineBench['rows'] = [];
    for (const phase of PHASES) {
      for (const mode of ['raw', 'rollups'] as const) {
        const a = samples.get(key(mode, phase));
        if (!a) continue;
        rows.push({
          mode,
          concurrency: phase.concurrency,
          tz: phase.tz,
          queries: a.queries,
          perSecond: Math.round((a.queries / a.wallMs) * 1000),
          slotsPerDay: a.slots,
          ms: percentiles(a.ms),
          roundP95: a.roundP95.map(round2),
          apiCpuMsPerQuery: round2(a.apiCpuMs / a.queries),
          dbCpuMsPerQuery: round2(a.dbCpuMs / a.queries),
        });
      }
    }

    // What the rollups cost the ingest path: pushes of 100 minutes through the real route, and
    // the refresh those pushes run, timed on its own over the same ranges.
    const token = await mintEnrollmentToken(db, seed.orgId, seed.employee.id, new Date());
    const device = await enrollDevice(servers.rollups.url, token);
    const pushMs: number[] = [];
    const PUSHES = 20;
    const pushFrom = Date.parse('2025-04-01T08:00:00Z');
    for (let b = 0; b < PUSHES; b++) {
      const ops = Array.from({ length: 100 }, (_, i) => ({
        id: uuidv7(),
        kind: 'activity.minute',
        minute: { id: uuidv7(), entryId: null, minuteStart: new Date(pushFrom + (b * 100 + i) * 60_000).toISOString(), activeSeconds: 30, trackedSeconds: 60, apps: [{ app: 'editor', seconds: 40 }, { app: 'browser', seconds: 20 }] },
      }));
      await timed(pushMs, () => json(`${servers.rollups.url}/v1/sync/push`, { method: 'POST', token: device.accessToken, body: { deviceId: device.deviceId, sentAt: new Date().toISOString(), ops } }));
    }
    const refreshMs: number[] = [];
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    for (let b = 0; b < PUSHES; b++) {
      const from = new Date(pushFrom + b * 100 * 60_000);
      const to = new Date(pushFrom + (b + 1) * 100 * 60_000);
      await timed(refreshMs, () => c.query('SELECT stint_refresh_activity_rollups($1, $2, ARRAY[$3::timestamptz], ARRAY[$4::timestamptz])', [seed.orgId, seed.employee.id, from, to]));
    }
    await c.end();
    log(`push of 100 minutes p50 ${percentiles(pushMs).p50} ms, its refresh p50 ${percentiles(refreshMs).p50} ms`);

    const result: TimelineBench = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', node: process.version, loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 } },
      history: { users: USERS, days: DAYS, activityMinutes: hist.minutes, screenshots: hist.screenshots, buckets: Number(sizes?.buckets), minutesMb: round2(Number(sizes?.minutes) / 2 ** 20), rollupsMb: round2(Number(sizes?.rollups) / 2 ** 20), rebuildSeconds: round2(rebuildSeconds) },
      rounds: ROUNDS,
      rows,
      push: { batches: PUSHES, minutesPerBatch: 100, pushMs: percentiles(pushMs), refreshMs: percentiles(refreshMs) },
      command: 'npm run bench -- timeline',
    };
    mkdirSync('docs/bench', { recursive: true });
    writeFileSync('docs/bench/timeline.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('docs/bench/timeline.md', renderMarkdown(result));
    log('wrote docs/bench/timeline.json and docs/bench/timeline.md');
  } finally {
    for (const s of stops) await s().catch((err: unknown) => process.stderr.write(`stop failed: ${String(err)}\n`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
