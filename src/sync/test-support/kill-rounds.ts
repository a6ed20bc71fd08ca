import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { ChaosDeviceConfig } from './chaos-device';

export interface KillRoundsResult {
  rounds: number;
  /** Rounds whose child had already died on its own (a crash is a failure, reported with its stderr). */
  crashes: Array<{ round: number; code: number | null; stderr: string }>;
}

/**
 * Start the bundled chaos device `rounds` times on the same outbox; each time wait until it is
 * running, let it work for a random 0..maxLifeMs, then SIGKILL it. One round in eight is killed
 * while it starts (opening the outbox, migrating, enrolling its session) instead.
 */
export async function runKillRounds(bundle: string, cfg: ChaosDeviceConfig, rounds: number, maxLifeMs: number, random: () => number): Promise<KillRoundsResult> {
  const crashes: KillRoundsResult['crashes'] = [];
  for (let round = 0; round < rounds; round++) {
    const child = fork(bundle, [JSON.stringify(cfg)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const early = random() < 0.125;
    const first = early
      ? await Promise.race([new Promise((r) => setTimeout(r, Math.floor(random() * 300))).then(() => 'ready' as const), exited.then(() => 'exit' as const)])
      : await Promise.race([once(child, 'message').then(() => 'ready' as const), exited.then(() => 'exit' as const)]);
    if (early && first === 'ready') child.kill('SIGKILL');
    else if (first === 'ready') {
      await new Promise((r) => setTimeout(r, Math.floor(random() * maxLifeMs)));
      child.kill('SIGKILL');
    }
    const [code, signal] = await exited;
    if (signal !== 'SIGKILL') crashes.push({ round, code, stderr: stderr.slice(-2000) });
  }
  return { rounds, crashes };
}
