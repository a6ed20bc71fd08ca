import type { FleetBench } from './report';

const W = 720;
const H = 360;
const M = { left: 64, right: 72, top: 40, bottom: 56 };
const COLORS: Record<string, string> = { push: '#2563eb', declare: '#16a34a', put: '#9333ea', complete: '#ea580c', lag: '#dc2626' };

const niceMax = (v: number) => {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((k) => k * p >= v) ?? 10) * p;
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** p95 latency per endpoint (left axis, ms, log scale) and p95 queue lag (right axis, s) against offered API requests/s. */
export function fleetSvg(r: FleetBench): string {
  const xs = r.levels.map((l) => l.offered.apiRequestsPerSecond);
  const xMax = niceMax(Math.max(...xs) * 1.1);
  const endpoints = ['push', 'declare', 'put', 'complete'] as const;
  const decades = Math.max(3, Math.ceil(Math.log10(Math.max(200, ...r.levels.flatMap((l) => endpoints.map((e) => l.ms[e].p95))))));
  const logY = (ms: number) => H - M.bottom - ((Math.log10(Math.max(ms, 1)) - 0) / decades) * (H - M.top - M.bottom);
  const lagMax = niceMax(Math.max(5, ...r.levels.map((l) => l.queueLagMs.p95 / 1000)));
  const px = (x: number) => M.left + (x / xMax) * (W - M.left - M.right);
  const py = (y: number, max: number) => H - M.bottom - (y / max) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">Fleet: p95 latency and queue lag against offered rate (${esc(r.at.slice(0, 16))}Z)</text>`);
  for (let d = 0; d <= decades; d++) {
    const y = logY(10 ** d);
    parts.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${(10 ** d).toLocaleString('en-US')}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const y = py((lagMax * i) / 4, lagMax);
    parts.push(`<text x="${W - M.right + 6}" y="${y + 4}" fill="${COLORS.lag}">${Math.round(((lagMax * i) / 4) * 10) / 10}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const x = px((xMax * i) / 4);
    parts.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle">${Math.round((xMax * i) / 4)}</text>`);
  }
  parts.push(`<line x1="${M.left}" y1="${logY(200)}" x2="${W - M.right}" y2="${logY(200)}" stroke="#6b7280" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${W - M.right - 4}" y="${logY(200) - 4}" text-anchor="end" fill="#6b7280">p95 aim 200 ms</text>`);
  parts.push(`<line x1="${M.left}" y1="${py(5, lagMax)}" x2="${W - M.right}" y2="${py(5, lagMax)}" stroke="${COLORS.lag}" stroke-opacity="0.5" stroke-dasharray="2 4"/>`);
  parts.push(`<text x="${W - M.right - 4}" y="${py(5, lagMax) - 4}" text-anchor="end" fill="${COLORS.lag}">queue lag aim 5 s</text>`);
  parts.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">offered API requests/s (devices: ${r.levels.map((l) => l.devices).join(', ')})</text>`);
  parts.push(`<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">p95 latency, ms (log)</text>`);
  parts.push(`<text x="${W - 16}" y="${H / 2}" transform="rotate(90 ${W - 16} ${H / 2})" text-anchor="middle" fill="${COLORS.lag}">p95 queue lag, s</text>`);
  const series = (name: string, ys: number[], y: (v: number) => number, dash = '') => {
    const pts = xs.map((x, i) => `${px(x).toFixed(1)},${y(ys[i] ?? 0).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>`);
    for (const p of pts) {
      const [cx, cy] = p.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${COLORS[name]}"/>`);
    }
  };
  for (const e of endpoints) series(e, r.levels.map((l) => l.ms[e].p95), logY);
  series('lag', r.levels.map((l) => l.queueLagMs.p95 / 1000), (v) => py(Math.min(v, lagMax), lagMax), '6 3');
  [...endpoints, 'lag'].forEach((name, i) => {
    const x = M.left + 10 + i * 110;
    parts.push(`<line x1="${x}" y1="${M.top - 6}" x2="${x + 18}" y2="${M.top - 6}" stroke="${COLORS[name]}" stroke-width="2"/>`);
    parts.push(`<text x="${x + 22}" y="${M.top - 2}">${name === 'lag' ? 'queue lag' : name}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
