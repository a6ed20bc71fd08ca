import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DrainResult } from './drain-child';
import type { ResumeResult } from './resume';

interface Run {
  shots: number;
  minutes: number;
  bytes: number;
  drain: DrainResult;
  ceiling: { ms: number; requests: number } | null;
  /** CPU of the API server's process (this one) during the drain. */
  serverCpuMs: number;
}

export interface SyncBenchReport {
  measuredAt: string;
  machine: string;
  command: string;
  concurrency: number;
  full: Run;
  runs: Array<{ drainMs: number; ceilingMs: number; ratio: number }>;
  small: Run;
  resume: ResumeResult;
  benchSeconds: number;
}

const DOCS = fileURLToPath(new URL('../../docs/bench/', import.meta.url));
const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;

export function writeReport(report: SyncBenchReport): void {
  const { full, small } = report;
  const shotsPerS = full.shots / (full.drain.drainMs / 1000);
  const ceilingPerS = full.ceiling ? full.shots / (full.ceiling.ms / 1000) : null;
  const derived = {
    shotsPerSecond: r1(shotsPerS),
    itemsPerSecond: r1((full.shots + full.minutes) / (full.drain.drainMs / 1000)),
    mbPerSecond: r1(full.bytes / 1024 / 1024 / (full.drain.drainMs / 1000)),
    requestsPerScreenshot: r2((full.drain.apiRequests + full.drain.blobRequests) / full.shots),
    ceilingShotsPerSecond: ceilingPerS === null ? null : r1(ceilingPerS),
    ratioToCeiling: ceilingPerS === null ? null : r2(shotsPerS / ceilingPerS),
  };
  mkdirSync(DOCS, { recursive: true });
  writeFileSync(join(DOCS, 'sync.json'), `${JSON.stringify({ ...report, derived }, null, 2)}\n`);
  const avgKb = Math.round(full.bytes / full.shots / 1024);
  const md = `# Sync engine benchmark

Measured ${report.measuredAt} on ${report.machine}. Command: \`${report.command}\` (${report.benchSeconds} s in all).
Real server (Express + PostgreSQL, in process) and a real S3 (Ceph RGW) on loopback; the engine runs in its
own process, as in the agent, with ${report.concurrency} uploads at once. Backlog: a week offline at 3 screenshots
per 10 minutes, desktop-like 1920×1080 WebP q60 (${avgKb} KB average), plus one activity minute per minute.

| measure | value |
| --- | --- |
| backlog | ${full.shots} screenshots (${r1(full.bytes / 1024 / 1024)} MB) + ${full.minutes} activity minutes |
| time to drain | ${r1(full.drain.drainMs / 1000)} s |
| screenshots/s (all items/s) | ${derived.shotsPerSecond} (${derived.itemsPerSecond}) |
| throughput | ${derived.mbPerSecond} MB/s |
| HTTP requests per screenshot (API + S3, ops batches included) | ${derived.requestsPerScreenshot} (${full.drain.apiRequests} API + ${full.drain.blobRequests} S3) |
| ceiling: same objects, presigned PUT straight to S3, nothing else | ${full.ceiling ? `${r1(full.ceiling.ms / 1000)} s, ${derived.ceilingShotsPerSecond} screenshots/s` : 'n/a'} |
| **engine / ceiling** (median of ${report.runs.length} runs) | **${derived.ratioToCeiling ?? 'n/a'}** |
| every run: drain s / ceiling s (ratio) | ${report.runs.map((r) => `${r1(r.drainMs / 1000)} / ${r1(r.ceilingMs / 1000)} (${r.ratio})`).join('; ')} |
| peak RSS of the sync process during the drain | ${full.drain.rssPeakMb} MB (start ${full.drain.rssStartMb} MB; at 25/50/75 %: ${full.drain.rssAtMb.join(' / ')} MB) |
| peak RSS with a quarter of the backlog (${small.shots} screenshots) | ${small.drain.rssPeakMb} MB |
| largest event-loop delay during the drain (p99) | ${full.drain.eventLoopMaxMs} ms (${full.drain.eventLoopP99Ms} ms) |
| server stopped ${r1(report.resume.outageMs / 1000)} s under queued work: first upload after it listens again | ${report.resume.resumeMs} ms |
| requests per minute the device sent while the server was down (probes) | ${report.resume.requestsPerMinuteOffline} |
| CPU per screenshot: sync process / API server process | ${r2(full.drain.cpuMs / full.shots)} ms / ${r2(full.serverCpuMs / full.shots)} ms (of ${r1(full.drain.drainMs / full.shots)} ms wall per screenshot, 2 cores shared with PostgreSQL and RGW) |

Why the ratio stays far from 1 here: per screenshot the engine makes two API calls beside the PUT
(declare → presigned URL; \`complete\` → the server HEADs the object), each a PostgreSQL transaction,
and on this 2-core machine the API server, PostgreSQL, RGW and the engine share the CPUs; the ceiling
runs RGW alone. The two rows of CPU per screenshot above are the engine's and the API's share
(PostgreSQL's and RGW's are not counted). The engine overlaps API calls with PUTs (up to 2 × concurrency
screenshots in flight, PUTs capped at the concurrency), reuses sockets through one keep-alive agent pair,
leases 32 screenshots per outbox write and writes done marks in batches
every 100 ms (one fsync each); a CPU profile of the drain (\`BENCH_CHILD_ARGS=--cpu-prof\`) shows what is
left is mostly axios and Node's HTTP client. Reaching 0.7 of the ceiling here needs fewer API round trips
per screenshot (a server-side batch declare/complete would make it ~1.1 requests instead of 3). The bench
server runs without a rate limit; the default limit (1,200 requests per minute per token) would cap one
device at about 6 screenshots/s, with the engine holding all its workers for each 429's Retry-After.
`;
  writeFileSync(join(DOCS, 'sync.md'), md);
}
