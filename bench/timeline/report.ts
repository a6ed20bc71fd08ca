export type Mode = 'raw' | 'rollups';
type P = { p50: number; p95: number; p99: number; mean: number };

export interface TimelineBench {
  at: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: { before: number; after: number } };
  history: { users: number; days: number; activityMinutes: number; screenshots: number; buckets: number; minutesMb: number; rollupsMb: number; rebuildSeconds: number };
  rounds: number;
  rows: Array<{
    mode: Mode;
    concurrency: number;
    tz: string;
    queries: number;
    perSecond: number;
    slotsPerDay: number;
    ms: P;
    /** p95 of each round, in run order. */
    roundP95: number[];
    apiCpuMsPerQuery: number;
    dbCpuMsPerQuery: number;
  }>;
  push: { batches: number; minutesPerBatch: number; pushMs: P; refreshMs: P };
  command: string;
}

const ms = (p: P) => `${p.p50} / ${p.p95} / ${p.p99}`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

export function renderMarkdown(r: TimelineBench): string {
  const h = r.history;
  const lines: string[] = ['# Timeline benchmark', ''];
  lines.push(`Command: \`${r.command}\` — ${r.at}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}; 1-minute load ${r.machine.loadAverage.before.toFixed(1)} → ${r.machine.loadAverage.after.toFixed(1)} (shared machine: read the side-by-side ratios first).`);
  lines.push(
    `History: ${h.users} users × ${h.days} days, ${h.activityMinutes} activity minutes (${h.minutesMb} MB with indexes) and ${h.screenshots} screenshots; ${h.buckets} rollup buckets (${h.rollupsMb} MB), rebuilt from the minutes in ${h.rebuildSeconds} s.`,
    'Minutes and buckets lie scattered on disk as pushes from many devices write them; VACUUM ANALYZE ran before the reads.',
    `Two API processes on one real PostgreSQL 18 and a real Ceph RGW (thumbnail URLs are presigned for it), one summing activity from the raw minutes (before), one from the 5-minute rollups (after); ${r.rounds} rounds alternate which goes first. Each query is one user-day (\`GET /v1/timeline\`, a different user and day each time, as an admin), over HTTP from this process. Latencies p50 / p95 / p99 in ms over all rounds; CPU is what each query cost the API process and PostgreSQL.`,
    '',
  );
  lines.push('| concurrency | zone | activity from | queries | queries/s | slots per day | latency | p95 per round | API CPU ms/query | PostgreSQL CPU ms/query | p95, raw ÷ rollups |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of r.rows) {
    const raw = r.rows.find((x) => x.mode === 'raw' && x.concurrency === row.concurrency && x.tz === row.tz);
    const vs = row.mode === 'rollups' && raw ? ratio(raw.ms.p95, row.ms.p95) : '';
    lines.push(
      `| ${row.concurrency} | ${row.tz} | ${row.mode === 'raw' ? 'raw minutes (before)' : 'rollups (after)'} | ${row.queries} | ${row.perSecond} | ${row.slotsPerDay} | ${ms(row.ms)} | ${row.roundP95.join(', ')} | ${row.apiCpuMsPerQuery} | ${row.dbCpuMsPerQuery} | ${vs} |`,
    );
  }
  lines.push('');
  lines.push(
    `Ingest cost of keeping the rollups: a push of ${r.push.minutesPerBatch} activity minutes takes ${ms(r.push.pushMs)} ms (${r.push.batches} pushes, one device); the bucket refresh it runs in its transaction, timed alone over the same ranges, ${ms(r.push.refreshMs)} ms.`,
  );
  lines.push('Aim (issue 13): p95 ≤ 20 ms at concurrency 8; the roadmap asks < 50 ms.', '');
  return `${lines.join('\n')}\n`;
}
