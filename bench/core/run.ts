/**
 * Tracker core benchmarks (issue 2): capture -> durable on disk, CPU per screenshot, event-loop
 * delay during capture, encoded size and quality per format, outbox claim at a 100k backlog.
 * Run: npx tsx bench/core/run.ts   Writes docs/bench/core.json and docs/bench/core.md.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { startXvfb } from '../../test/infra/xvfb';
import { tempDir } from '../../src/sync/test-support/temp-dir';
import { createTracker } from '../../src/sync/tracker';
import { defaultCapturerModule } from '../../src/sync/capture/capture-worker-client';
import { writeFileAtomic } from '../../src/sync/capture/atomic-file';
import { desktopScene } from '../../server/demo/scene';
import { compare } from './quality';
import { childCpuMs, percentile, round, timeIt } from './stats';
import { claimBacklog } from './claim-backlog';
import { startMainThreadProfile } from './main-thread-profile';

const run = promisify(execFile);
const W = 1920;
const H = 1080;
const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 30);
const PROJECT = '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';

const x = await startXvfb({ width: W, height: H });
const dir = tempDir('stint-bench-');
interface Encoder { format: string; kb: number; ssim: number; psnrDb: number; encodeMsP50: number }
interface Results {
  machine: { cpus: number; model: string | undefined; node: string };
  at: string;
  importMs: Record<string, { p50: number; p95: number }>;
  encoders: Encoder[];
  pipeline: Record<string, number | string>;
  atomicWrite100KbMsP50: number;
  claim: ReturnType<typeof claimBacklog>;
}
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, at: new Date().toISOString() } as Results;
try {
  const scenePath = join(dir.path, 'scene.png');
  writeFileSync(scenePath, await desktopScene(W, H));
  spawnSync('display', ['-window', 'root', scenePath], { env: x.env });
  const grab = (fmt: string) => run('import', ['-silent', '-window', 'root', '-crop', `${W}x${H}+0+0`, `${fmt}:-`], { env: x.env, encoding: 'buffer', maxBuffer: 64 << 20 });
  const reference = (await grab('png')).stdout as Buffer;

  // Peers and ceilings: ImageMagick `import` alone per format.
  const importMs: Record<string, { p50: number; p95: number }> = {};
  for (const fmt of ['tiff', 'png', 'jpeg']) {
    const t = await timeIt(8, () => grab(fmt));
    importMs[fmt] = { p50: round(percentile(t, 50)), p95: round(percentile(t, 95)) };
  }
  results.importMs = importMs;

  // Encoders against the lossless capture.
  const candidates: Array<{ name: string; enc: (s: Sharp) => Sharp; ct: string }> = [
    { name: 'webp q40 effort2', enc: (s) => s.webp({ quality: 40, effort: 2 }), ct: 'image/webp' },
    { name: 'webp q60 effort2 (chosen)', enc: (s) => s.webp({ quality: 60, effort: 2 }), ct: 'image/webp' },
    { name: 'webp q60 effort4', enc: (s) => s.webp({ quality: 60, effort: 4 }), ct: 'image/webp' },
    { name: 'webp q80 effort2', enc: (s) => s.webp({ quality: 80, effort: 2 }), ct: 'image/webp' },
    { name: 'jpeg q70 (libjpeg-turbo)', enc: (s) => s.jpeg({ quality: 70 }), ct: 'image/jpeg' },
    { name: 'jpeg q85 (libjpeg-turbo)', enc: (s) => s.jpeg({ quality: 85 }), ct: 'image/jpeg' },
    { name: 'png (lossless)', enc: (s) => s.png({ compressionLevel: 6 }), ct: 'image/png' },
  ];
  const encoders: Encoder[] = [];
  for (const c of candidates) {
    const out = await c.enc(sharp(reference)).toBuffer();
    const t = await timeIt(5, () => c.enc(sharp(reference)).toBuffer());
    const q = await compare(reference, out, W, H);
    encoders.push({ format: c.name, kb: round(out.length / 1024), ssim: round(q.ssim, 4), psnrDb: round(q.psnr, 2), encodeMsP50: round(percentile(t, 50)) });
  }
  results.encoders = encoders;

  // The real pipeline: worker thread (import + sharp + fsync) then the row commit.
  const tracker = await createTracker(
    { capturer: { module: defaultCapturerModule, options: { display: x.display } }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
    { dataDir: join(dir.path, 'data'), projects: [{ id: PROJECT, name: 'Bench', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
  );
  await tracker.api['timer.start']({ projectId: PROJECT });
  await tracker.captureNow(); // warm-up
  // Baseline: the same probes with no capture running, so scheduler noise of this machine shows.
  const idleLoop = monitorEventLoopDelay({ resolution: 1 });
  idleLoop.enable();
  await new Promise((r) => setTimeout(r, 5000));
  idleLoop.disable();
  const h = monitorEventLoopDelay({ resolution: 1 });
  const profiler = await startMainThreadProfile();
  const cpu0 = process.cpuUsage();
  const child0 = childCpuMs();
  h.enable();
  const wall = await timeIt(CAPTURES, () => tracker.captureNow());
  h.disable();
  const mainCpu = await profiler.stop();
  const cpu = process.cpuUsage(cpu0);
  const childMs = childCpuMs() - child0;
  await tracker.shutdown();
  const encodeP50 = (encoders.find((e) => e.format.includes('chosen'))?.encodeMsP50 ?? NaN);
  results.pipeline = {
    captures: CAPTURES,
    durableMsP50: round(percentile(wall, 50)),
    durableMsP95: round(percentile(wall, 95)),
    ceilingMs: round(importMs.tiff!.p50 + encodeP50),
    ratioToCeiling: round(percentile(wall, 50) / (importMs.tiff!.p50 + encodeP50), 2),
    cpuMsPerShotInProcess: round((cpu.user + cpu.system) / 1000 / CAPTURES),
    cpuMsPerShotChildren: round(childMs / CAPTURES),
    eventLoopDelayMaxMs: round(h.max / 1e6, 2),
    eventLoopDelayP99Ms: round(h.percentile(99) / 1e6, 2),
    idleBaselineDelayMaxMs: round(idleLoop.max / 1e6, 2),
    idleBaselineDelayP99Ms: round(idleLoop.percentile(99) / 1e6, 2),
    mainThreadCpuMsPerShot: round(mainCpu.busyMs / CAPTURES, 2),
    mainThreadTopFunctions: mainCpu.top.map((t) => `${t.name} ${round(t.ms / CAPTURES, 2)} ms`).join(', '),
  };

  // Durability primitives.
  const blob = Buffer.alloc(100 * 1024, 7);
  const atomic = await timeIt(30, () => writeFileAtomic(join(dir.path, 'atomic.bin'), blob));
  results.atomicWrite100KbMsP50 = round(percentile(atomic, 50), 2);
  results.claim = claimBacklog(join(dir.path, 'backlog.db'), 100_000);
} finally {
  await x.stop();
  dir.remove();
}

mkdirSync('docs/bench', { recursive: true });
writeFileSync('docs/bench/core.json', JSON.stringify(results, null, 2) + '\n');
writeFileSync('docs/bench/core.md', renderMarkdown(results));
console.log(renderMarkdown(results));

function renderMarkdown(r: Results): string {
  const p = r.pipeline;
  const c = r.claim;
  return `# Tracker core benchmarks

Measured ${r.at} on ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}; Xvfb 1920x1080, a desktop-like
scene (editor + chat text) on the root window. Command: \`npx tsx bench/core/run.ts\`.

## Capture → durable on disk (worker thread: import + sharp + fsync, then the row commit)

| measure | value |
| --- | --- |
| p50 / p95 ms per capture (${p.captures} captures) | ${p.durableMsP50} / ${p.durableMsP95} |
| ceiling: \`import tiff\` p50 + WebP q60 encode p50 | ${p.ceilingMs} ms (pipeline / ceiling = ${p.ratioToCeiling}) |
| CPU ms per screenshot, this process (main + worker + sharp pool) | ${p.cpuMsPerShotInProcess} |
| CPU ms per screenshot, child processes (\`import\`, \`xrandr\`) | ${p.cpuMsPerShotChildren} |
| largest event-loop delay during capture (monitorEventLoopDelay max) | ${p.eventLoopDelayMaxMs} ms (p99 ${p.eventLoopDelayP99Ms} ms) |
| same event-loop probe, 5 s with no capture (this machine's scheduling noise) | max ${p.idleBaselineDelayMaxMs} ms, p99 ${p.idleBaselineDelayP99Ms} ms |
| main-thread CPU per capture (V8 profile of the UI thread during the captures) | ${p.mainThreadCpuMsPerShot} ms (top: ${p.mainThreadTopFunctions}) |
| fsynced atomic 100 KB write (temp, fsync, rename, fsync dir) p50 | ${r.atomicWrite100KbMsP50} ms |

## ImageMagick \`import\` alone (1920x1080)

| format | p50 ms | p95 ms |
| --- | --- | --- |
${Object.entries(r.importMs).map(([f, v]) => `| ${f} | ${v.p50} | ${v.p95} |`).join('\n')}

## Encoded size and quality against the lossless capture

| format | KB | SSIM (luma, 8x8) | PSNR dB | encode p50 ms |
| --- | --- | --- | --- | --- |
${r.encoders.map((e) => `| ${e.format} | ${e.kb} | ${e.ssim} | ${e.psnrDb} | ${e.encodeMsP50} |`).join('\n')}

## Outbox claim at a ${c.backlog.toLocaleString('en')}-row backlog (one UPDATE ... RETURNING with a lease)

| measure | p50 ms | p95 ms |
| --- | --- | --- |
| claimScreenshots(10) | ${c.claimShotsMsP50} | ${c.claimShotsMsP95} |
| claimOps(100) | ${c.claimOpsMsP50} | ${c.claimOpsMsP95} |
| queue counts of one status call (kept by triggers; a full scan took 31.5 ms before) | ${c.statusCountsMsP50} | ${c.statusCountsMsP95} |
| one synchronous=FULL insert commit | ${c.commitMsP50} | ${c.commitMsP95} |
`;
}
