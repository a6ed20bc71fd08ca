import type { Component } from './component-cpu';
import type { Endpoint } from './device-load';

type P = { p50: number; p95: number; p99: number; mean: number };

export interface FleetLevel {
  devices: number;
  seconds: number;
  offered: { pushesPerSecond: number; screenshotsPerSecond: number; apiRequestsPerSecond: number; screenshotsPerDay: number };
  achieved: { screenshots: number; screenshotsPerSecond: number; pushes: number };
  ms: Record<Endpoint, P>;
  statuses: Record<Endpoint, Record<string, number>>;
  errorsNot429: number;
  failures: string[];
  /** From the batch complete to the worker's verification (still unverified: until the drain ended). */
  queueLagMs: P;
  /** CPU cores each part used during the level (from /proc), and the whole machine (other work included). */
  cpuCores: Record<Component, number>;
  machineCores: number;
  backlogAtStart: number;
  backlogAtEnd: number;
  unverifiedAfterDrain: number;
}

export interface FleetBench {
  at: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: { before: number; after: number } };
  loadProcesses: number;
  levelSeconds: number;
  drainSeconds: number;
  levels: FleetLevel[];
  command: string;
}

const ms = (p: P) => `${p.p50} / ${p.p95} / ${p.p99}`;
const r1 = (x: number) => Math.round(x * 10) / 10;
const statusList = (s: Record<string, number>) =>
  Object.entries(s)
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ') || 'none';

export function renderMarkdown(r: FleetBench): string {
  const lines: string[] = ['# Fleet benchmark', ''];
  lines.push(`Command: \`${r.command}\` — ${r.at}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}; 1-minute load ${r.machine.loadAverage.before.toFixed(1)} → ${r.machine.loadAverage.after.toFixed(1)}.`);
  lines.push(
    `Two API processes (server/main.ts) + one worker (server/worker.ts) + one PostgreSQL 18 + one Ceph RGW, and ${r.loadProcesses} load processes, all on these ${r.machine.cpus} shared cores. Each simulated device (its own user, device and token) pushes one activity minute a minute and declares, PUTs (straight to RGW) and completes 1–3 screenshots (a 93 KB 1920×1080 WebP) per 10 minutes at random instants, through the batch endpoints, open loop; devices alternate between the two API processes. After a 10 s warm-up (not reported), each level runs ${r.levelSeconds} s; before and after it the worker gets up to ${r.drainSeconds} s to drain the queue. Queue lag is from the batch complete to the worker's verification of each screenshot of the level (one still unverified counts until the drain ended). Latencies p50 / p95 / p99 in ms.`,
    '',
  );
  lines.push('| devices | offered API requests/s (pushes/s + screenshots/s) | screenshots/day at this rate | push | declare (batch) | PUT (S3) | complete (batch) | errors not 429 | 429s | queue lag (complete → verified) | unverified at the start / end / after the drain |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of r.levels) {
    const n429 = Object.values(l.statuses).reduce((s, x) => s + (x['429'] ?? 0), 0);
    lines.push(
      `| ${l.devices} | ${r1(l.offered.apiRequestsPerSecond)} (${r1(l.offered.pushesPerSecond)} + ${r1(l.offered.screenshotsPerSecond)}) | ${l.offered.screenshotsPerDay} (achieved ${l.achieved.screenshotsPerSecond}/s) | ${ms(l.ms.push)} | ${ms(l.ms.declare)} | ${ms(l.ms.put)} | ${ms(l.ms.complete)} | ${l.errorsNot429} | ${n429} | ${ms(l.queueLagMs)} | ${l.backlogAtStart} / ${l.backlogAtEnd} / ${l.unverifiedAfterDrain} |`,
    );
  }
  lines.push('');
  lines.push('CPU cores used during each level (from /proc: each part this bench started; the machine as a whole includes other work sharing it):', '');
  lines.push('| devices | API requests/s answered | API processes | PostgreSQL | API + PostgreSQL CPU ms per request | worker | RGW | load processes | machine busy (of ' + r.machine.cpus + ') |', '|---|---|---|---|---|---|---|---|---|');
  for (const l of r.levels) {
    const answered = (['push', 'declare', 'complete'] as const).reduce((s, e) => s + Object.entries(l.statuses[e]).filter(([k]) => /^2/.test(k)).reduce((a, [, c]) => a + c, 0), 0) / l.seconds;
    const perRequest = answered > 0 ? Math.round(((l.cpuCores.api + l.cpuCores.postgres) * 1000 * 10) / answered) / 10 : 0;
    lines.push(`| ${l.devices} | ${r1(answered)} | ${l.cpuCores.api} | ${l.cpuCores.postgres} | ${perRequest} | ${l.cpuCores.worker} | ${l.cpuCores.rgw} | ${l.cpuCores.load > 0 ? l.cpuCores.load : 'not read'} | ${l.machineCores} |`);
  }
  lines.push('');
  for (const l of r.levels) {
    lines.push(`- ${l.devices} devices, answers: ${(['push', 'declare', 'put', 'complete'] as const).map((e) => `${e} (${statusList(l.statuses[e])})`).join('; ')}.${l.failures.length ? ` First failures: ${l.failures.map((f) => `\`${f}\``).join('; ')}.` : ''}`);
  }
  lines.push('');
  lines.push('![p95 latency per endpoint and queue lag against offered rate](bench/fleet.svg)', '');
  lines.push('Aims (issue 13): 10,000 devices, p95 < 200 ms per endpoint, queue lag < 5 s, no errors that are not 429.', '');
  return `${lines.join('\n')}\n`;
}
