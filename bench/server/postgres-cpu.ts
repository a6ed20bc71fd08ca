import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ = 100 on Linux

function stat(pid: number): { ppid: number; own: number; children: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i - 3]);
    return { ppid: n(4), own: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS };
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds used so far by one PostgreSQL cluster: the postmaster, its live backends, and
 * (through the postmaster's child counters) every backend that already exited.
 */
export async function postgresCpu(url: string): Promise<() => number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const dir = (await c.query<{ data_directory: string }>('SHOW data_directory')).rows[0]?.data_directory as string;
  await c.end();
  const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return () => {
    const root = stat(postmaster);
    let total = root ? root.own + root.children : 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = stat(Number(entry));
      if (s && s.ppid === postmaster) total += s.own;
    }
    return total;
  };
}
