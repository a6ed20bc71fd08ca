import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ = 100 on Linux

export type Component = 'api' | 'worker' | 'load' | 'postgres' | 'rgw';

function stat(pid: number): { ppid: number; cpuMs: number; childrenMs: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i - 3]);
    return { ppid: n(4), cpuMs: (n(14) + n(15)) * TICK_MS, childrenMs: (n(16) + n(17)) * TICK_MS };
  } catch {
    return null;
  }
}

function kind(pid: number): Component | null {
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
  if (cmd.includes('server/main.ts')) return 'api';
  if (cmd.includes('server/worker.ts')) return 'worker';
  if (cmd.includes('bench/fleet/device-load.ts')) return 'load';
  if (/bin\/postgres /.test(cmd)) return 'postgres';
  if (/radosgw|ceph-osd|ceph-mon/.test(cmd)) return 'rgw';
  return null;
}

/**
 * CPU milliseconds used so far by each part of the fleet this process started: its child
 * processes by what they run, a PostgreSQL postmaster with its live backends, and (through each
 * process's child counters) what already exited. Read from /proc, so it sees nothing of the
 * other work on the machine.
 */
export function componentCpu(): Record<Component, number> {
  const totals: Record<Component, number> = { api: 0, worker: 0, load: 0, postgres: 0, rgw: 0 };
  const children = new Map<number, number[]>();
  const pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
  for (const pid of pids) {
    const s = stat(pid);
    if (!s) continue;
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const own = (pid: number): number => {
    const s = stat(pid);
    if (!s) return 0;
    return s.cpuMs + s.childrenMs + (children.get(pid) ?? []).reduce((sum, c) => sum + own(c), 0);
  };
  // Spawned through tsx or npm, a part may sit a level or two below this process: look down the tree.
  const visit = (pid: number, depth: number) => {
    for (const c of children.get(pid) ?? []) {
      const k = kind(c);
      if (k) totals[k] += own(c);
      else if (depth < 3) visit(c, depth + 1);
    }
  };
  visit(process.pid, 0);
  return totals;
}

/** CPU milliseconds the whole machine has been busy (every process, other work included), from /proc/stat. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return (f.reduce((a, b) => a + b, 0) - idle) * TICK_MS;
}
