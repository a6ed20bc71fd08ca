import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './daemon-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `url` until it answers any HTTP status. Fails fast when one of `pids` exits (its log
 * says why) and when `deadline` (epoch ms) passes.
 */
export async function waitForHttp(url: string, pids: Record<string, number | undefined>, deadline: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    for (const [name, pid] of Object.entries(pids)) {
      if (pid !== undefined && !isAlive(pid)) throw new Error(`${name} (pid ${pid}) exited during start-up`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) throw new Error(`${url} did not answer after ${attempt} attempts`);
    await sleep(100);
  }
}

const LOGS = ['log/mon.out', 'log/mon.a.log', 'log/osd.out', 'log/osd.0.log', 'log/rgw.out', 'log/client.rgw.log'];

/** The last lines of each daemon's log, for an error message. */
export function logTails(dir: string, lines = 15): string {
  return LOGS.map((name) => join(dir, name))
    .filter((file) => existsSync(file))
    .map((file) => {
      const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      return `--- ${file} (last ${lines} lines)\n${tail}`;
    })
    .join('\n');
}
