/**
 * The demo's first start (issue 10): `npm start`'s script on a fresh data dir, timed from the spawn
 * to the window URL printed and to the generated history complete (every screenshot verified), the
 * number of screenshots, and how the server answers the lead meanwhile (GET /v1/timeline of today,
 * every 250 ms, during the history and after it). Then a second start on the same data dir: to the
 * window, and to the history found complete. Run: npm run bench -- demo
 * Writes docs/bench/demo.json and docs/bench/demo.md. Measurements, never pass/fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '../core/stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAYS = process.env.BENCH_DEMO_DAYS ?? '5';

interface Run {
  child: ChildProcess;
  out: string;
  t0: number;
  /** ms after the spawn at which a line matching `re` was printed. */
  at(re: RegExp, timeoutMs?: number): Promise<{ ms: number; match: RegExpMatchArray }>;
}

function start(dataDir: string): Run {
  const { DISPLAY: _own, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: { ...env, STINT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', STINT_DEMO_HISTORY: DAYS },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    child,
    out: '',
    t0: performance.now(),
    at: (re, timeoutMs = 600_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(run.out);
          if (!m) return false;
          clearInterval(poll);
          clearTimeout(timer);
          resolve({ ms: stamps.find((s) => s.upTo >= m.index + m[0].length)?.ms ?? performance.now() - run.t0, match: m });
          return true;
        };
        const poll = setInterval(check, 20);
        const timer = setTimeout(() => (clearInterval(poll), reject(new Error(`no ${re} in ${timeoutMs} ms:\n${run.out.slice(-2000)}`))), timeoutMs);
        check();
      }),
  };
  // When each chunk of output arrived: a line's time is its chunk's.
  const stamps: Array<{ upTo: number; ms: number }> = [];
  const onData = (d: Buffer) => {
    run.out += d.toString();
    stamps.push({ upTo: run.out.length, ms: performance.now() - run.t0 });
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return run;
}

async function stop(run: Run): Promise<void> {
  if (run.child.exitCode !== null) return;
  run.child.kill('SIGINT');
  await once(run.child, 'exit');
}

/** The lead reads today's timeline every 250 ms until `until` resolves; answer times in ms. */
async function leadReads(url: string, login: { email: string; password: string }, until: Promise<unknown>): Promise<number[]> {
  const r = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: login.email, password: login.password }) });
  const { accessToken, user } = (await r.json()) as { accessToken: string; user: { id: string } };
  let done = false;
  void until.finally(() => (done = true));
  const times: number[] = [];
  const date = new Date().toISOString().slice(0, 10);
  while (!done) {
    const t = performance.now();
    const res = await fetch(`${url}/v1/timeline?userId=${user.id}&date=${date}&tz=UTC`, { headers: { authorization: `Bearer ${accessToken}` } });
    await res.arrayBuffer();
    times.push(performance.now() - t);
    await new Promise((ok) => setTimeout(ok, 250));
  }
  return times;
}

const round = (ms: number) => Math.round(ms / 100) / 10;
const summarize = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs) });
const dataDir = mkdtempSync(join(tmpdir(), 'stint-bench-demo-'));
try {
  const loadBefore = loadavg()[0] ?? 0;
  const first = start(dataDir);
  const server = await first.at(/\[start\] server (\S+),/);
  const url = server.match[1]!;
  const window = await first.at(/open the Stint window: /);
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as { logins: Array<{ role: string; email: string; password: string }> };
  const lead = demo.logins.find((l) => l.role === 'lead')!;
  const finished = first.at(/\[start\] demo history finished/);
  const during = await leadReads(url, lead, finished);
  const history = await finished;
  const complete = /demo history complete: (\d+) member-days, (\d+) screenshots verified in ([\d.]+) s \(([\d.]+) s of CPU/.exec(first.out);
  const afterEnd = new Promise((ok) => setTimeout(ok, 5000));
  const after = await leadReads(url, lead, afterEnd);
  await stop(first);

  const second = start(dataDir);
  const window2 = await second.at(/open the Stint window: /);
  const history2 = await second.at(/\[start\] demo history finished/);
  const already = /demo history: already complete/.test(second.out);
  await stop(second);

  const results = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadBefore, loadAfter: loadavg()[0] ?? 0 },
    at: new Date().toISOString(),
    days: Number(DAYS),
    first: {
      serverListeningMs: Math.round(server.ms),
      windowUrlMs: Math.round(window.ms),
      historyCompleteMs: Math.round(history.ms),
      memberDays: Number(complete?.[1] ?? 0),
      screenshots: Number(complete?.[2] ?? 0),
      historyOwnSeconds: Number(complete?.[3] ?? 0),
      historyCpuSeconds: Number(complete?.[4] ?? 0),
      leadTimelineDuring: summarize(during),
      leadTimelineAfter: summarize(after),
    },
    second: { windowUrlMs: Math.round(window2.ms), historyFoundCompleteMs: Math.round(history2.ms), alreadyComplete: already },
  };
  mkdirSync(join(ROOT, 'docs/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'docs/bench/demo.json'), `${JSON.stringify(results, null, 2)}\n`);
  const f = results.first;
  const ms = (s: { p50: number; p95: number; max: number }) => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.max.toFixed(1)} ms`;
  const md = [
    '# The demo (`npm start`)',
    '',
    `${results.machine.cpus} cores (${results.machine.model}), Node ${results.machine.node}; load average ${loadBefore.toFixed(1)} before, ${results.machine.loadAfter.toFixed(1)} after (a shared machine).`,
    `A fresh data dir (embedded PostgreSQL made on the first start, the window already built), ${DAYS} working days of history (and today's part), the agent on its own Xvfb.`,
    '',
    '| measure | result |',
    '|---|---|',
    `| first start → server listening | ${round(f.serverListeningMs)} s |`,
    `| first start → window URL printed (agent enrolled as the lead, tracking) | ${round(f.windowUrlMs)} s |`,
    `| first start → history complete (every screenshot verified) | ${round(f.historyCompleteMs)} s (the history process's own ${f.historyOwnSeconds} s, of which ${f.historyCpuSeconds} s of its CPU: painting, encoding, sending) |`,
    `| history | ${f.memberDays} member-days, ${f.screenshots} screenshots (1280×720 JPEG q60) |`,
    `| lead's GET /v1/timeline while the history is made, p50 / p95 / max (${f.leadTimelineDuring.n} reads) | ${ms(f.leadTimelineDuring)} |`,
    `| the same after it (${f.leadTimelineAfter.n} reads) | ${ms(f.leadTimelineAfter)} |`,
    `| second start → window URL printed | ${round(results.second.windowUrlMs)} s |`,
    `| second start → history found complete (nothing sent) | ${round(results.second.historyFoundCompleteMs)} s${results.second.alreadyComplete ? '' : ' (NOT found complete)'} |`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'docs/bench/demo.md'), md);
  console.log(md);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
