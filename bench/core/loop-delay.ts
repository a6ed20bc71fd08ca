/**
 * Where the event-loop delay during capture comes from. Three set-ups, alternated over rounds so
 * machine noise falls on each alike: no capture (this machine's scheduling noise), the capture
 * worker alone (the main thread only receives its reply), the whole tracker (reply + row commit
 * + events + log). If the whole tracker is no worse than the worker alone, the delay is not made
 * by our code on the main thread but by the CPU the capture takes from it (import, Xvfb, libvips).
 * The capture worker runs as a thread of this process or as the helper process (capture-process.ts);
 * both are measured. BENCH_RSS_MB (default 300) pads this process to an agent's resident size,
 * since what a fork costs the forking process grows with it.
 * Run: npx tsx bench/core/loop-delay.ts (BENCH_CAPTURES, default 20; BENCH_ROUNDS, default 3).
 * Writes docs/bench/core-loop-delay.json and .md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startXvfb } from '../../test/infra/xvfb';
import { tempDir } from '../../src/sync/test-support/temp-dir';
import { createTracker } from '../../src/sync/tracker';
import { DEFAULT_CAPTURE_MODE, defaultCapturerModule, startCaptureWorker } from '../../src/sync/capture/capture-worker-client';
import { defaultEncodeOptions } from '../../src/sync/capture/encoder';
import { desktopScene } from '../../server/demo/scene';
import { percentile, round } from './stats';

const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROJECT = '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
const RSS_MB = Number(process.env.BENCH_RSS_MB ?? 300);
const ballast: Buffer[] = [];
while (process.memoryUsage().rss < RSS_MB * 1048576) ballast.push(Buffer.alloc(16 * 1048576, 1));

async function measure(label: string, work: () => Promise<unknown>) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await work();
  h.disable();
  return { setup: label, maxMs: round(h.max / 1e6, 2), p99Ms: round(h.percentile(99) / 1e6, 2), p999Ms: round(h.percentile(99.9) / 1e6, 2) };
}

const x = await startXvfb({ width: 1920, height: 1080 });
const dir = tempDir('stint-loop-');
const rows: Array<Awaited<ReturnType<typeof measure>>> = [];
const loadBefore = loadavg()[0]!;
try {
  const scene = join(dir.path, 'scene.png');
  writeFileSync(scene, await desktopScene(1920, 1080));
  spawnSync('display', ['-window', 'root', scene], { env: x.env });
  const shotsDir = join(dir.path, 'worker-only');
  mkdirSync(shotsDir);
  const spec = { capturer: { module: defaultCapturerModule, options: { display: x.display } }, dir: shotsDir, encode: defaultEncodeOptions };
  const worker = startCaptureWorker(spec, { mode: 'thread' });
  const helper = startCaptureWorker(spec, { mode: 'process' });
  await worker.shoot(Date.now());
  await helper.shoot(Date.now());
  const tracker = await createTracker(
    { capturer: { module: defaultCapturerModule, options: { display: x.display } }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
    { dataDir: join(dir.path, 'data'), projects: [{ id: PROJECT, name: 'Bench', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
  );
  await tracker.api['timer.start']({ projectId: PROJECT });
  await tracker.captureNow();
  for (let r = 0; r < ROUNDS; r++) {
    rows.push(await measure('no capture (8 s)', () => new Promise((done) => setTimeout(done, 8000))));
    rows.push(await measure('capture worker thread alone', async () => { for (let i = 0; i < CAPTURES; i++) await worker.shoot(Date.now()); }));
    rows.push(await measure('capture helper process alone', async () => { for (let i = 0; i < CAPTURES; i++) await helper.shoot(Date.now()); }));
    rows.push(await measure(`whole tracker (${DEFAULT_CAPTURE_MODE === 'process' ? 'helper process' : 'worker thread'} + row commit + events)`, async () => { for (let i = 0; i < CAPTURES; i++) await tracker.captureNow(); }));
  }
  await worker.close();
  await helper.close();
  await tracker.shutdown();
} finally {
  await x.stop();
  dir.remove();
}
const setups = [...new Set(rows.map((r) => r.setup))];
const summary = setups.map((setup) => {
  const of = rows.filter((r) => r.setup === setup);
  return {
    setup,
    maxMsMedianOfRounds: round(percentile(of.map((r) => r.maxMs), 50), 2),
    p999MsMedianOfRounds: round(percentile(of.map((r) => r.p999Ms), 50), 2),
    p99MsMedianOfRounds: round(percentile(of.map((r) => r.p99Ms), 50), 2),
  };
});
const results = {
  at: new Date().toISOString(),
  agentRssMb: Math.round(process.memoryUsage().rss / 1048576),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAvg1mBefore: round(loadBefore, 2), loadAvg1mAfter: round(loadavg()[0]!, 2) },
  capturesPerRound: CAPTURES,
  rounds: rows,
  summary,
};
mkdirSync('docs/bench', { recursive: true });
writeFileSync('docs/bench/core-loop-delay.json', JSON.stringify(results, null, 2) + '\n');
const md = `# Event-loop delay during capture: whose is it?

Measured ${results.at} on ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}, 1-min load
${results.machine.loadAvg1mBefore} → ${results.machine.loadAvg1mAfter}. Command: \`npx tsx bench/core/loop-delay.ts\`. ${ROUNDS} rounds of
${CAPTURES} 1920x1080 captures per set-up, alternated; medians over rounds (monitorEventLoopDelay, 1 ms resolution).
The measuring process is padded to ${results.agentRssMb} MB resident (an agent's size: a fork's cost to the forking process grows with it).

| set-up | max ms | p99.9 ms | p99 ms |
| --- | --- | --- | --- |
${summary.map((s) => `| ${s.setup} | ${s.maxMsMedianOfRounds} | ${s.p999MsMedianOfRounds} | ${s.p99MsMedianOfRounds} |`).join('\n')}

Per round: ${rows.map((r) => `${r.setup}: max ${r.maxMs}`).join('; ')}.
`;
writeFileSync('docs/bench/core-loop-delay.md', md);
console.log(md);
