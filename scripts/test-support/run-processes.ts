import { readdirSync, readFileSync } from 'node:fs';

/** A process by pid and start time (clock ticks since boot), so a reused pid is not mistaken for it. */
export interface ProcessId {
  pid: number;
  ppid: number;
  start: string;
  name: string;
}

interface Stat extends ProcessId {
  zombie: boolean;
}

function stat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const fields = raw.slice(close + 2).split(' ');
    return { pid, name: raw.slice(raw.indexOf('(') + 1, close), ppid: Number(fields[1]), start: fields[19]!, zombie: fields[0] === 'Z' };
  } catch {
    return null;
  }
}

function environHas(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
  } catch {
    return false;
  }
}

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);

/**
 * Every live process of a run: those whose environment carries `marker` (set for the run's root
 * and inherited by everything it starts, re-parented or not), and their descendants (PostgreSQL's
 * backends overwrite their environment with their process title).
 */
export function processesOfRun(marker: string): ProcessId[] {
  const all = pids().map(stat).filter((s): s is Stat => s !== null && !s.zombie);
  const found = new Map(all.filter((s) => environHas(s.pid, marker)).map((s) => [s.pid, s]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of all) {
      if (found.has(s.pid) || !found.has(s.ppid)) continue;
      found.set(s.pid, s);
      grew = true;
    }
  }
  return [...found.values()].map(({ pid, ppid, start, name }) => ({ pid, ppid, start, name }));
}

/** The ones of `seen` still running (same pid and start time, not a zombie), plus any new process of the run. */
export function survivors(seen: ProcessId[], marker: string): ProcessId[] {
  const alive = seen.filter((p) => {
    const s = stat(p.pid);
    return s !== null && !s.zombie && s.start === p.start;
  });
  const known = new Set(alive.map((p) => p.pid));
  return [...alive, ...processesOfRun(marker).filter((p) => !known.has(p.pid))];
}
