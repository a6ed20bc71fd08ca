import type { BatchedIngestRow } from './batched-ingest';

type P = { p50: number; p95: number; p99: number; mean: number };

export interface BenchResult {
  at: string;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; loadAverage: { before: number; after: number } };
  screenshotBytes: number;
  backgroundCpu: { apiMsPerSecond: number; dbMsPerSecond: number };
  ingest: Array<{ concurrency: number; count: number; perSecond: number; presignMs: P; putMs: P; completeMs: P; totalMs: P; serverCpuMsPerShot: number; dbCpuMsPerShot: number }>;
  batched: BatchedIngestRow[];
  baseline: Array<{ concurrency: number; count: number; perSecond: number; uploadMs: P; serverCpuMsPerShot: number; dbCpuMsPerShot: number }>;
  dbBytesPerScreenshot: { stint: number; baseline: number };
  /** Request body bytes the API receives per screenshot (Stint: the declaration; complete has no body). */
  apiBodyBytesPerScreenshot: { stint: number; baseline: number };
  push: Array<{ concurrency: number; batches: number; opsPerBatch: number; opsPerSecond: number; batchMs: P }>;
  command: string;
}

const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
const ms = (p: P) => `${p.p50} / ${p.p95} / ${p.p99}`;

export function renderMarkdown(r: BenchResult): string {
  const lines: string[] = [];
  lines.push('# Server benchmark', '');
  lines.push(`Command: \`${r.command}\` — ${r.at}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memGiB} GiB, Node ${r.machine.node}.`);
  lines.push(`1-minute load average ${r.machine.loadAverage.before.toFixed(1)} before and ${r.machine.loadAverage.after.toFixed(1)} after the run (other work shared the machine: compare the side-by-side ratios more than absolute figures).`);
  lines.push(`Real PostgreSQL 18 (embedded) and a real Ceph RADOS Gateway (SigV4) on 127.0.0.1; the server runs in its own process; load generator, database and S3 share the same ${r.machine.cpus} cores.`);
  lines.push(`Screenshot: a ${r.screenshotBytes}-byte 1920×1080 WebP. Latencies are p50 / p95 / p99 in ms.`);
  lines.push(`CPU per screenshot is what a screenshot adds: each phase's CPU minus the idle rate measured first (API process ${r.backgroundCpu.apiMsPerSecond} ms/s, PostgreSQL ${r.backgroundCpu.dbMsPerSecond} ms/s). S3 (RGW) CPU is not counted: in production it is AWS's or a separate tier.`, '');
  lines.push('## Screenshot ingest: Stint (presign → PUT to S3 → complete) vs the baseline (base64 JSON into a bytea column)', '');
  lines.push('| concurrency | Stint shots/s | presign | complete | PUT (S3, not the API) | whole (device view) | baseline shots/s | baseline upload | upload response p50, baseline ÷ Stint (presign+complete) | API CPU ms/shot Stint / baseline (baseline ÷ Stint) | PostgreSQL CPU ms/shot Stint / baseline (baseline ÷ Stint) |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of r.ingest) {
    const b = r.baseline.find((v) => v.concurrency === s.concurrency);
    if (!b) continue;
    lines.push(
      `| ${s.concurrency} | ${s.perSecond} | ${ms(s.presignMs)} | ${ms(s.completeMs)} | ${ms(s.putMs)} | ${ms(s.totalMs)} | ${b.perSecond} | ${ms(b.uploadMs)} | ${x(b.uploadMs.p50, s.presignMs.p50 + s.completeMs.p50)} | ${s.serverCpuMsPerShot} / ${b.serverCpuMsPerShot} (${x(b.serverCpuMsPerShot, s.serverCpuMsPerShot)}) | ${s.dbCpuMsPerShot} / ${b.dbCpuMsPerShot} (${x(b.dbCpuMsPerShot, s.dbCpuMsPerShot)}) |`,
    );
  }
  lines.push('');
  const batch = r.batched[0]?.batch ?? 0;
  lines.push(`## Batched ingest: Stint (declare ${batch} → PUT each to S3, 3 at once → complete ${batch}, verified later by the worker) vs the same baseline`, '');
  lines.push('Concurrency is devices at once; each screenshot is one of a batch, as a device catching up sends them.', '');
  lines.push('| concurrency | Stint batched shots/s | baseline shots/s | shots/s, Stint batched ÷ baseline | declare (per batch) | complete (per batch) | PUT (S3) | API CPU ms/shot batched / baseline (batched ÷ baseline) | PostgreSQL CPU ms/shot batched / baseline (batched ÷ baseline) | API + PostgreSQL CPU ms/shot, batched ÷ baseline |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const y = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  for (const s of r.batched) {
    const b = r.baseline.find((v) => v.concurrency === s.concurrency);
    if (!b) continue;
    lines.push(
      `| ${s.concurrency} | ${s.perSecond} | ${b.perSecond} | ${y(s.perSecond, b.perSecond)} | ${ms(s.declareMs)} | ${ms(s.completeMs)} | ${ms(s.putMs)} | ${s.serverCpuMsPerShot} / ${b.serverCpuMsPerShot} (${y(s.serverCpuMsPerShot, b.serverCpuMsPerShot)}) | ${s.dbCpuMsPerShot} / ${b.dbCpuMsPerShot} (${y(s.dbCpuMsPerShot, b.dbCpuMsPerShot)}) | ${y(s.serverCpuMsPerShot + s.dbCpuMsPerShot, b.serverCpuMsPerShot + b.dbCpuMsPerShot)} |`,
    );
  }
  lines.push('');
  lines.push(`Database bytes per screenshot: Stint ${r.dbBytesPerScreenshot.stint} B (metadata row + indexes), baseline ${r.dbBytesPerScreenshot.baseline} B (bytes in the row, TOAST included): ${x(r.dbBytesPerScreenshot.baseline, r.dbBytesPerScreenshot.stint)} smaller.`);
  lines.push(`Request body bytes the API receives per screenshot: Stint ${r.apiBodyBytesPerScreenshot.stint} B, baseline ${r.apiBodyBytesPerScreenshot.baseline} B (${x(r.apiBodyBytesPerScreenshot.baseline, r.apiBodyBytesPerScreenshot.stint)} less through the API tier).`);
  const best = Math.max(...r.ingest.map((s) => s.perSecond), ...r.batched.map((s) => s.perSecond));
  lines.push(`Peak Stint ingest ${best} screenshots/s = ${Math.round(best * 86_400 / 1e6 * 10) / 10}M a day on this one machine (target: 1M a day = 11.6/s).`, '');
  lines.push('## Push of activity batches', '');
  lines.push('| concurrency | batches × ops | ops/s | batch latency |', '|---|---|---|---|');
  for (const p of r.push) lines.push(`| ${p.concurrency} | ${p.batches} × ${p.opsPerBatch} | ${p.opsPerSecond} | ${ms(p.batchMs)} |`);
  lines.push('');
  lines.push('Timeline reads on 50 users × 90 days of history: the timeline section (`npm run bench -- timeline`).', '');
  lines.push('Targets from the roadmap: upload response < 100 ms, API p95 < 200 ms, indexed queries < 50 ms, 1M screenshots a day.');
  lines.push('Ratios are baseline ÷ Stint: above 1× Stint is cheaper or faster, below 1× it costs more.');
  lines.push('Thumbnail/verify jobs are queued by `complete` (one per batch for the batched path) but no worker runs during the bench (its CPU would blur the API figures).', '');
  return `${lines.join('\n')}\n`;
}
