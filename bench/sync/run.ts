/**
 * `npm run bench:sync`: drain a week-offline backlog (1,000 screenshots + their activity
 * minutes) through the real server to a real S3 (Ceph RGW) on loopback, beside the ceiling of
 * the same objects PUT straight to S3 with presigned URLs. Writes docs/bench/sync.{json,md}.
 * BENCH_SHOTS changes the backlog size, BENCH_CONCURRENCY the engine's PUTs at once, BENCH_RUNS the repeats.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { openDb } from '../../src/sync/db/open-db';
import { tempDir } from '../../src/sync/test-support/temp-dir';
import { startRealServer, type RealServer } from '../../src/sync/test-support/real-server';
import { serverTruth } from '../../src/sync/test-support/server-truth';
import { startSyncDevice } from '../../src/sync/test-support/sync-device';
import { sampleScreens, writeBacklog } from './backlog';
import { presignedPutCeiling } from './ceiling';
import { measureResume } from './resume';
import type { DrainResult } from './drain-child';
import { writeReport } from './report';

const SHOTS = Number(process.env.BENCH_SHOTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function drainInChild(dir: string, serverUrl: string): Promise<DrainResult> {
  const child = fork(new URL('./drain-child.ts', import.meta.url).pathname, [JSON.stringify({ dir, serverUrl, concurrency: CONCURRENCY })], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [result] = (await once(child, 'message')) as [DrainResult];
  await once(child, 'exit');
  return result;
}

async function oneBacklog(server: RealServer, screens: Buffer[], shots: number, withCeiling: boolean) {
  const home = tempDir('stint-bench-sync-');
  try {
    const dir = join(home.path, 'device');
    const device = await startSyncDevice(server.url, await server.enrollmentToken(), { dir });
    const deviceId = device.deviceId;
    await device.close();
    const db = openDb(join(dir, 'outbox.db'));
    const backlog = writeBacklog(db, dir, screens, shots, Date.now());
    db.close();
    let ceiling: { ms: number; requests: number } | null = null;
    if (withCeiling) {
      const files = readdirSync(join(dir, 'shots')).map((name) => {
        const path = join(dir, 'shots', name);
        return { path, bytes: statSync(path).size, md5: createHash('md5').update(readFileSync(path)).digest('base64') };
      });
      ceiling = await presignedPutCeiling(server.s3, server.bucket, files, CONCURRENCY);
    }
    const serverCpu = process.cpuUsage();
    const drain = await drainInChild(dir, server.url);
    const cpu = process.cpuUsage(serverCpu);
    const serverCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const truth = await serverTruth(server.databaseUrl, deviceId);
    const stored = [...truth.shots.values()].filter((s) => s.state === 'received').length;
    if (stored !== shots || truth.ops.size !== backlog.minutes) {
      throw new Error(`drain incomplete: ${stored}/${shots} screenshots, ${truth.ops.size}/${backlog.minutes} minutes on the server`);
    }
    return { shots, minutes: backlog.minutes, bytes: backlog.bytes, drain, ceiling, serverCpuMs };
  } finally {
    home.remove();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const server = await startRealServer({ postgresUrl: pg.url, s3 });
  try {
    const screens = await sampleScreens(12);
    // A quarter-size backlog first: peak RSS must not grow with the backlog.
    const small = await oneBacklog(server, screens, Math.max(50, Math.floor(SHOTS / 4)), false);
    // The full backlog three times (ceiling, then engine, each on a fresh backlog): this machine is
    // shared, so the median run is the headline and every run is listed.
    const runs: Array<Awaited<ReturnType<typeof oneBacklog>>> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneBacklog(server, screens, SHOTS, true));
    const ratio = (r: (typeof runs)[number]) => r.ceiling!.ms / r.drain.drainMs;
    const full = [...runs].sort((a, b) => ratio(a) - ratio(b))[Math.floor(runs.length / 2)]!;
    const resume = await measureResume(server);
    const report = {
      measuredAt: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
      command: 'npm run bench:sync',
      concurrency: CONCURRENCY,
      full,
      runs: runs.map((r) => ({ drainMs: r.drain.drainMs, ceilingMs: r.ceiling!.ms, ratio: Math.round(ratio(r) * 100) / 100 })),
      small,
      resume,
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeReport(report);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await server.close();
    await s3.stop();
    await pg.stop();
  }
}

await main();
