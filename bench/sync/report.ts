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
    apiCallsPerScreenshot: r2(full.drain.screenshotCalls / full.shots),
    apiRequestsPerScreenshot: r2(full.drain.apiRequests / full.shots),
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
| API calls per screenshot: screenshot declarations + completes (every API request, activity pushes included) | ${derived.apiCallsPerScreenshot} (${derived.apiRequestsPerScreenshot}) |
| ceiling: same objects, presigned PUT straight to S3, nothing else | ${full.ceiling ? `${r1(full.ceiling.ms / 1000)} s, ${derived.ceilingShotsPerSecond} screenshots/s` : 'n/a'} |
| **engine / ceiling** (median of ${report.runs.length} runs) | **${derived.ratioToCeiling ?? 'n/a'}** |
| every run: drain s / ceiling s (ratio) | ${report.runs.map((r) => `${r1(r.drainMs / 1000)} / ${r1(r.ceilingMs / 1000)} (${r.ratio})`).join('; ')} |
| peak RSS of the sync process during the drain | ${full.drain.rssPeakMb} MB (start ${full.drain.rssStartMb} MB; at 25/50/75 %: ${full.drain.rssAtMb.join(' / ')} MB) |
| peak RSS with a quarter of the backlog (${small.shots} screenshots) | ${small.drain.rssPeakMb} MB |
| largest event-loop delay during the drain (p99) | ${full.drain.eventLoopMaxMs} ms (${full.drain.eventLoopP99Ms} ms) |
| server stopped ${r1(report.resume.outageMs / 1000)} s under queued work: first upload after it listens again | ${report.resume.resumeMs} ms |
| requests per minute the device sent while the server was down (probes) | ${report.resume.requestsPerMinuteOffline} |
| CPU per screenshot: sync process / API server process | ${r2(full.drain.cpuMs / full.shots)} ms / ${r2(full.serverCpuMs / full.shots)} ms (of ${r1(full.drain.drainMs / full.shots)} ms wall per screenshot, 2 cores shared with PostgreSQL and RGW) |

The engine claims 100 screenshots per outbox write, declares them in one request (\`POST /v1/screenshots/batch\`),
PUTs each straight to S3 with ${report.concurrency} PUTs at once (the ceiling's concurrency), and confirms finished
PUTs in batches of up to 100 (\`POST /v1/screenshots/batch/complete\`, no HEAD: the worker verifies each object
later); the next batch is declared while the last PUTs of this one run. The two rows of CPU per screenshot are the
engine's and the API's share (PostgreSQL's and RGW's are not counted); on this 2-core machine the API server,
PostgreSQL, RGW and the engine share the CPUs, where the ceiling runs RGW alone. The bench server runs without a
rate limit; at the default (1,200 requests a minute per token, counted in PostgreSQL) a device spends 2 requests
per 100 screenshots, so the limit allows it about 1,000 screenshots/s, above the ceiling
(server/shared-rate-limit.test.ts).
`;
  writeFileSync(join(DOCS, 'sync.md'), md);
}
