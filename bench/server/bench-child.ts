// A benchmark's server process seen from its runner: started with tsx, ready when it prints its
// one JSON line (its URLs), stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';

export interface BenchChild<T> {
  child: ChildProcess;
  ready: Promise<T>;
  stop(): Promise<void>;
}

export function spawnBenchChild<T>(script: string, env: Record<string, string>, nodeArgs: string[] = []): BenchChild<T> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<T>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, ready, stop };
}
