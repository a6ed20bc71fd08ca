import { readFileSync } from 'node:fs';

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function timeIt(times: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** CPU time (ms) of this process's children that have been waited for (ImageMagick `import`, xrandr). */
export function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // fields after "pid (comm) ": state=0 ... cutime=13, cstime=14 (man 5 proc, 16 and 17 counted from 1)
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}
