// `npm run bench:server`: the server against real PostgreSQL and real S3 (Ceph RGW) on this
// machine, side by side with the base64-in-PostgreSQL baseline it replaces. Timeline reads on a
// long history are bench/timeline (`npm run bench -- timeline`).
// Writes docs/bench/server.json and docs/bench/server.md.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createS3Client } from '../../server/store/blob/s3-blob-store';
import { Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { seedOrg } from '../../server/demo/seed';
import { createTestDatabase } from '../../server/test-support/test-database';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { percentiles, runLoad, timed } from './load';
import { desktopScene } from '../../server/demo/scene';
import { postgresCpu } from './postgres-cpu';
import { batchedIngest } from './batched-ingest';
import { spawnBenchChild } from './bench-child';
import { renderMarkdown, type BenchResult } from './report';

const LEVELS = [1, 4, 16, 64];
const perShot = (ms: number, n: number) => Math.round((ms / n) * 100) / 100;
const perLevel = (c: number) => (c === 1 ? 100 : 320);

async function json<T>(url: string, init: RequestInit & { token?: string; body?: string } = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
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
    const stintDb = await createTestDatabase(pgSrv.url);
    const legacyDb = await createTestDatabase(pgSrv.url);
    const db = new Db(stintDb.url, 4);
    stops.unshift(() => db.close());
    await migrate(db);
    const seed = await seedOrg(db);
    const bucket = `stint-bench-${randomBytes(4).toString('hex')}`;
    const s3c = createS3Client({ ...s3, forcePathStyle: true });
    await s3c.send(new CreateBucketCommand({ Bucket: bucket }));
    log('infrastructure up');

    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const server = spawnBenchChild<{ stint: string; baseline: string }>(
      'bench/server/serve.ts',
      {
        DATABASE_URL: stintDb.url,
        BASELINE_DATABASE_URL: legacyDb.url,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_BUCKET: bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
      profile,
    );
    stops.unshift(() => server.stop());
    const urls = await server.ready;
    const apiCpu = async () => {
      const u = await json<{ user: number; system: number }>(`${urls.baseline}/bench/cpu`);
      return (u.user + u.system) / 1000;
    };
    const dbCpu = await postgresCpu(pgSrv.url);
    const cpu = async () => ({ api: await apiCpu(), db: dbCpu() });
    // Background CPU (timers, pools) while idle, so each phase reports what a screenshot adds.
    await new Promise((r) => setTimeout(r, 500));
    const idle0 = await cpu();
    const idleT0 = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    const idle1 = await cpu();
    const idleWall = performance.now() - idleT0;
    const background = { apiMsPerSecond: ((idle1.api - idle0.api) / idleWall) * 1000, dbMsPerSecond: ((idle1.db - idle0.db) / idleWall) * 1000 };
    const marginal = (c0: { api: number; db: number }, c1: { api: number; db: number }, wallMs: number, n: number) => ({
      api: perShot(Math.max(0, c1.api - c0.api - (background.apiMsPerSecond * wallMs) / 1000), n),
      db: perShot(Math.max(0, c1.db - c0.db - (background.dbMsPerSecond * wallMs) / 1000), n),
    });
    const session = await json<{ accessToken: string }>(`${urls.stint}/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: seed.employee.email, password: seed.employee.password }),
    });
    const token = session.accessToken;
    const image = await desktopScene(1920, 1080, { format: 'webp', quality: 70 });
    const sha256 = createHash('sha256').update(image).digest('hex');
    const md5 = createHash('md5').update(image).digest('base64');
    const base64 = image.toString('base64');
    const deviceId = uuidv7();
    const sampleDeclaration = JSON.stringify({ id: uuidv7(), deviceId, entryId: null, takenAt: new Date().toISOString(), displayId: 'd0', width: 1920, height: 1080, bytes: image.length, sha256, md5, contentType: 'image/webp' });
    const sampleLegacy = JSON.stringify({ id: uuidv7(), takenAt: new Date().toISOString(), contentType: 'image/webp', imageBase64: base64 });
    const apiBodyBytes = { stint: Buffer.byteLength(sampleDeclaration), baseline: Buffer.byteLength(sampleLegacy) };
    log(`server up, screenshot ${image.length} bytes`);

    const ingest: BenchResult['ingest'] = [];
    for (const c of LEVELS) {
      const n = perLevel(c);
      const presign: number[] = [];
      const put: number[] = [];
      const complete: number[] = [];
      const whole: number[] = [];
      const cpu0 = await cpu();
      const { wallMs } = await runLoad(n, c, async () => {
        const id = uuidv7();
        await timed(whole, async () => {
          const r = await timed(presign, () =>
            json<{ upload: { url: string; headers: Record<string, string> } }>(`${urls.stint}/v1/screenshots`, {
              method: 'POST',
              token,
              body: JSON.stringify({ id, deviceId, entryId: null, takenAt: new Date().toISOString(), displayId: 'd0', width: 1920, height: 1080, bytes: image.length, sha256, md5, contentType: 'image/webp' }),
            }),
          );
          const { ['Content-Length']: _len, ...headers } = r.upload.headers;
          const res = await timed(put, () => fetch(r.upload.url, { method: 'PUT', headers, body: image }));
          if (res.status !== 200) throw new Error(`PUT ${res.status}`);
          await timed(complete, () => json(`${urls.stint}/v1/screenshots/${id}/complete`, { method: 'POST', token }));
        });
      });
      const m = marginal(cpu0, await cpu(), wallMs, n);
      ingest.push({ concurrency: c, count: n, perSecond: Math.round((n / wallMs) * 1000 * 10) / 10, presignMs: percentiles(presign), putMs: percentiles(put), completeMs: percentiles(complete), totalMs: percentiles(whole), serverCpuMsPerShot: m.api, dbCpuMsPerShot: m.db });
      log(`stint ingest c=${c}: ${ingest.at(-1)?.perSecond}/s`);
    }

    const batched = await batchedIngest({ stintUrl: urls.stint, token, image, sha256, md5, levels: LEVELS, count: perLevel, cpu, marginal });
    for (const b of batched) log(`stint batched ingest c=${b.concurrency}: ${b.perSecond}/s`);

    const baseline: BenchResult['baseline'] = [];
    for (const c of LEVELS) {
      const n = perLevel(c);
      const lat: number[] = [];
      const cpu0 = await cpu();
      const { wallMs } = await runLoad(n, c, async () => {
        await timed(lat, () =>
          json(`${urls.baseline}/legacy/screenshots`, {
            method: 'POST',
            token,
            body: JSON.stringify({ id: uuidv7(), takenAt: new Date().toISOString(), contentType: 'image/webp', imageBase64: base64 }),
          }),
        );
      });
      const m = marginal(cpu0, await cpu(), wallMs, n);
      baseline.push({ concurrency: c, count: n, perSecond: Math.round((n / wallMs) * 1000 * 10) / 10, uploadMs: percentiles(lat), serverCpuMsPerShot: m.api, dbCpuMsPerShot: m.db });
      log(`baseline c=${c}: ${baseline.at(-1)?.perSecond}/s`);
    }

    const size = async (url: string, table: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const r = await c.query<{ bytes: string; n: string }>(`SELECT pg_total_relation_size('${table}') AS bytes, (SELECT count(*) FROM ${table}) AS n`);
      await c.end();
      const row = r.rows[0];
      return Math.round(Number(row?.bytes) / Math.max(1, Number(row?.n)));
    };
    const dbBytes = { stint: await size(stintDb.url, 'screenshots'), baseline: await size(legacyDb.url, 'baseline_screenshots') };
    log(`db bytes per screenshot: stint ${dbBytes.stint}, baseline ${dbBytes.baseline}`);

    const push: BenchResult['push'] = [];
    for (const c of [1, 4]) {
      const batches = 40;
      const lat: number[] = [];
      let minute = Date.UTC(2025, 0, 1) + c * 86_400_000 * 10;
      const { wallMs } = await runLoad(batches, c, async () => {
        const ops = Array.from({ length: 100 }, () => {
          minute += 60_000;
          return { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: new Date(minute).toISOString(), activeSeconds: 30, trackedSeconds: 60, apps: [{ app: 'editor', seconds: 30 }] } };
        });
        await timed(lat, () => json(`${urls.stint}/v1/sync/push`, { method: 'POST', token, body: JSON.stringify({ deviceId, sentAt: new Date().toISOString(), ops }) }));
      });
      push.push({ concurrency: c, batches, opsPerBatch: 100, opsPerSecond: Math.round(((batches * 100) / wallMs) * 1000), batchMs: percentiles(lat) });
      log(`push c=${c}: ${push.at(-1)?.opsPerSecond} ops/s`);
    }

    if (process.env.BENCH_QUICK === '1') {
      log('BENCH_QUICK: nothing written');
      return;
    }
    const result: BenchResult = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 } },
      screenshotBytes: image.length,
      backgroundCpu: { apiMsPerSecond: Math.round(background.apiMsPerSecond * 10) / 10, dbMsPerSecond: Math.round(background.dbMsPerSecond * 10) / 10 },
      ingest,
      batched,
      baseline,
      dbBytesPerScreenshot: dbBytes,
      apiBodyBytesPerScreenshot: apiBodyBytes,
      push,
      command: 'npm run bench:server',
    };
    mkdirSync('docs/bench', { recursive: true });
    writeFileSync('docs/bench/server.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('docs/bench/server.md', renderMarkdown(result));
    log('wrote docs/bench/server.json and docs/bench/server.md');
    s3c.destroy();
  } finally {
    for (const s of stops) await s().catch((err: unknown) => process.stderr.write(`stop failed: ${String(err)}\n`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
