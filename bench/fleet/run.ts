// `npm run bench -- fleet`: simulated devices against 2 API processes + 1 worker + PostgreSQL +
// RGW, as production scales out (server/test-support/api-processes.ts), at a base rate and twice
// it. Each device pushes an activity minute once a minute and declares, PUTs and completes 1–3
// screenshots per 10 minutes at random instants (batch endpoints), real HTTP from a handful of
// load processes. Writes docs/bench/fleet.json, fleet.md and fleet.svg.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { AccessTokens } from '../../server/auth/tokens';
import { startApiProcesses } from '../../server/test-support/api-processes';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { percentiles } from '../server/load';
import { componentCpu, machineBusyMs, type Component } from './component-cpu';
import type { Endpoint, LoadPlan, LoadSamples } from './device-load';
import { fleetSvg } from './plot';
import { renderMarkdown, type FleetBench, type FleetLevel } from './report';

// Up to the roadmap's 10,000 devices, so the plot shows where it bends. (Before the worker
// stopped sleeping between full batches, the queue lag passed 5 s from 1,000 devices on.)
const LEVELS = (process.env.BENCH_FLEET_DEVICES ?? '1000,4000,7000,10000').split(',').map(Number);
const LEVEL_SECONDS = Number(process.env.BENCH_FLEET_SECONDS ?? 45);
const LOAD_PROCESSES = Number(process.env.BENCH_FLEET_LOADERS ?? 4);
const DRAIN_SECONDS = 20;
const WARM_UP = { devices: 500, seconds: 10 };
const ENDPOINTS: Endpoint[] = ['push', 'declare', 'put', 'complete'];

function runLoader(plan: LoadPlan): Promise<LoadSamples> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fleet/device-load.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as LoadSamples);
      else reject(new Error(`device load exited ${code}`));
    });
    child.stdin.end(JSON.stringify(plan));
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (m: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
  const loadBefore = os.loadavg()[0] ?? 0;
  const [pgSrv, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const secret = randomBytes(32).toString('base64url');
  const stops: Array<() => Promise<unknown>> = [() => s3.stop(), () => pgSrv.stop()];
  try {
    const fleet = await startApiProcesses({ pgUrl: pgSrv.url, s3, apis: 2, worker: true, env: { STINT_SECRET: secret, LOG_LEVEL: 'error' } });
    stops.unshift(() => fleet.stop());
    const maxDevices = Math.max(...LEVELS, WARM_UP.devices);
    // One employee per device, made in SQL (enrolling thousands over HTTP would be the bench).
    const devices = Array.from({ length: maxDevices }, () => ({ userId: uuidv7(), deviceId: uuidv7() }));
    const db = new pg.Client({ connectionString: fleet.databaseUrl });
    await db.connect();
    await db.query(
      `INSERT INTO users (id, org_id, email, name, role) SELECT u, $1, 'fleet-' || u || '@bench.test', 'Fleet device', 'employee' FROM unnest($2::uuid[]) u`,
      [fleet.seed.orgId, devices.map((d) => d.userId)],
    );
    await db.query(
      `INSERT INTO devices (id, org_id, user_id, name, platform, token_hash) SELECT d, $1, u, 'fleet', 'linux', decode(md5(d::text), 'hex') FROM unnest($2::uuid[], $3::uuid[]) x(d, u)`,
      [fleet.seed.orgId, devices.map((d) => d.deviceId), devices.map((d) => d.userId)],
    );
    const tokens = new AccessTokens(secret, 3600, () => new Date());
    const withTokens = await Promise.all(devices.map(async (d) => ({ deviceId: d.deviceId, token: await tokens.issue({ userId: d.userId, orgId: fleet.seed.orgId, role: 'employee', deviceId: d.deviceId }) })));
    log(`${maxDevices} devices, 2 API processes + 1 worker up`);

    // Warm-up, not reported: JIT, connection pools, the first token verifications.
    await runLoader({ apis: fleet.urls, devices: withTokens.slice(0, WARM_UP.devices), startAt: Date.now() + 2000, seconds: WARM_UP.seconds, pushEverySeconds: 10, shotsPer10Min: [1, 3], seed: 7 });
    log('warm-up done');

    const received = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM screenshots WHERE state = 'received'`)).rows[0]?.n);
    /** Waits up to DRAIN_SECONDS for the worker to verify every received screenshot; returns how many are left. */
    const drain = async () => {
      const t = Date.now();
      let left = await received();
      while (left > 0 && Date.now() - t < DRAIN_SECONDS * 1000) {
        await new Promise((r) => setTimeout(r, 500));
        left = await received();
      }
      return left;
    };
    const levels: FleetLevel[] = [];
    for (const [li, n] of LEVELS.entries()) {
      // Each level starts with the queue as empty as the worker could make it (what is left is reported).
      const backlogAtStart = await drain();
      const startAt = Date.now() + 3000;
      const levelStart = new Date(startAt);
      const share = Math.ceil(n / LOAD_PROCESSES);
      const cpu0 = { parts: componentCpu(), machine: machineBusyMs(), at: Date.now() };
      const parts = await Promise.all(
        Array.from({ length: LOAD_PROCESSES }, (_, k) =>
          runLoader({ apis: fleet.urls, devices: withTokens.slice(k * share, Math.min(n, (k + 1) * share)), startAt, seconds: LEVEL_SECONDS, pushEverySeconds: 60, shotsPer10Min: [1, 3], seed: 1000 * (li + 1) + k + 1 }),
        ),
      );
      const levelEnd = new Date();
      const cpu1 = { parts: componentCpu(), machine: machineBusyMs(), at: Date.now() };
      const wallMs = cpu1.at - cpu0.at;
      const cores = (a: number, b: number) => Math.round(((b - a) / wallMs) * 100) / 100;
      const cpuCores = Object.fromEntries((Object.keys(cpu1.parts) as Component[]).map((k) => [k, cores(cpu0.parts[k], cpu1.parts[k])])) as Record<Component, number>;
      cpuCores.load = cores(0, parts.reduce((sum, p) => sum + (p.cpuMs ?? 0), 0));
      const machineCores = cores(cpu0.machine, cpu1.machine);
      const ms = Object.fromEntries(ENDPOINTS.map((e) => [e, parts.flatMap((p) => p.ms[e])])) as Record<Endpoint, number[]>;
      const statuses = Object.fromEntries(
        ENDPOINTS.map((e) => {
          const merged: Record<string, number> = {};
          for (const p of parts) for (const [s, c] of Object.entries(p.statuses[e])) merged[s] = (merged[s] ?? 0) + c;
          return [e, merged];
        }),
      ) as Record<Endpoint, Record<string, number>>;
      const screenshots = parts.reduce((s, p) => s + p.screenshots, 0);
      // Queue lag: from the batch complete to the worker's verification, for this level's screenshots.
      const backlogAtEnd = await received();
      const unverified = await drain();
      const lagRows = await db.query<{ lag: number | null }>(
        `SELECT extract(epoch FROM (coalesce(verified_at, now()) - completed_at)) * 1000 AS lag FROM screenshots
          WHERE completed_at >= $1 AND completed_at < $2 AND state IN ('received', 'verified', 'stored', 'corrupt', 'missing')`,
        [levelStart, levelEnd],
      );
      const seconds = (levelEnd.getTime() - startAt) / 1000;
      const offered = { pushesPerSecond: n / 60, screenshotsPerSecond: (n * 2) / 600 };
      const errorsNot429 = ENDPOINTS.reduce((s, e) => s + Object.entries(statuses[e]).filter(([k]) => !/^2/.test(k) && k !== '429').reduce((a, [, c]) => a + c, 0), 0);
      const level: FleetLevel = {
        devices: n,
        seconds: Math.round(seconds * 10) / 10,
        offered: { ...offered, apiRequestsPerSecond: offered.pushesPerSecond + offered.screenshotsPerSecond * 2, screenshotsPerDay: Math.round(offered.screenshotsPerSecond * 86_400) },
        achieved: { screenshots, screenshotsPerSecond: Math.round((screenshots / seconds) * 10) / 10, pushes: ms.push.length },
        ms: Object.fromEntries(ENDPOINTS.map((e) => [e, percentiles(ms[e])])) as FleetLevel['ms'],
        statuses,
        errorsNot429,
        failures: parts.flatMap((p) => p.failures).slice(0, 10),
        queueLagMs: percentiles(lagRows.rows.map((r) => Number(r.lag))),
        cpuCores,
        machineCores,
        backlogAtStart,
        backlogAtEnd,
        unverifiedAfterDrain: unverified,
      };
      levels.push(level);
      log(`${n} devices: push p95 ${level.ms.push.p95} ms, declare p95 ${level.ms.declare.p95}, complete p95 ${level.ms.complete.p95}, queue lag p95 ${level.queueLagMs.p95} ms, backlog ${backlogAtEnd}, errors ${errorsNot429}, cores ${JSON.stringify(cpuCores)} machine ${machineCores}`);
    }
    await db.end();
    const result: FleetBench = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', node: process.version, loadAverage: { before: loadBefore, after: os.loadavg()[0] ?? 0 } },
      loadProcesses: LOAD_PROCESSES,
      levelSeconds: LEVEL_SECONDS,
      drainSeconds: DRAIN_SECONDS,
      levels,
      command: 'npm run bench -- fleet',
    };
    mkdirSync('docs/bench', { recursive: true });
    writeFileSync('docs/bench/fleet.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('docs/bench/fleet.svg', fleetSvg(result));
    writeFileSync('docs/bench/fleet.md', renderMarkdown(result));
    log('wrote docs/bench/fleet.json, fleet.md and fleet.svg');
  } finally {
    for (const s of stops) await s().catch((err: unknown) => process.stderr.write(`stop failed: ${String(err)}\n`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
