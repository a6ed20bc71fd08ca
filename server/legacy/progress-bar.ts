/** Progress of a long run on a terminal (one redrawn line) or in a log (a line every few seconds). */
export interface ProgressSnapshot {
  rows: number;
  totalRows: number;
  bytes: number;
  totalBytes: number;
  elapsedMs: number;
}

const mb = (b: number) => (b / 1048576).toFixed(1);

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `[#####-----] 52% 10400/20000 rows · 812.4/1562.0 MB · 340 rows/s 26.5 MB/s · ETA 28s` */
export function progressLine(p: ProgressSnapshot, width = 24): string {
  const frac = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : p.totalRows > 0 ? Math.min(1, p.rows / p.totalRows) : 1;
  const filled = Math.round(frac * width);
  const secs = p.elapsedMs / 1000;
  const rowRate = secs > 0 ? p.rows / secs : 0;
  const byteRate = secs > 0 ? p.bytes / secs : 0;
  const eta = frac >= 1 ? 0 : byteRate > 0 ? ((p.totalBytes - p.bytes) / byteRate) * 1000 : rowRate > 0 ? ((p.totalRows - p.rows) / rowRate) * 1000 : Infinity;
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ` +
    `${p.rows}/${p.totalRows} rows · ${mb(p.bytes)}/${mb(p.totalBytes)} MB · ` +
    `${rowRate.toFixed(0)} rows/s ${mb(byteRate)} MB/s · ETA ${duration(eta)}`
  );
}

export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean },
    private readonly now: () => number = Date.now,
    private readonly logEveryMs = 5000,
  ) {}

  update(p: ProgressSnapshot, force = false): void {
    const t = this.now();
    const every = this.out.isTTY ? 200 : this.logEveryMs;
    if (!force && t - this.lastDraw < every) return;
    this.lastDraw = t;
    this.out.write(this.out.isTTY ? `\r\x1b[2K${progressLine(p)}` : `${progressLine(p)}\n`);
  }

  done(p: ProgressSnapshot): void {
    this.update(p, true);
    if (this.out.isTTY) this.out.write('\n');
  }
}
