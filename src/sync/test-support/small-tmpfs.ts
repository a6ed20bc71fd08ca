import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** A real disk that fills up: a tmpfs of `size` (e.g. '1m') mounted at `dir` (needs root, as CI runs). */
export function mountSmallTmpfs(dir: string, size: string): { unmount(): void } {
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`cannot mount a small tmpfs for a disk-full test (run as root): ${mounted.stderr}`);
  return { unmount: () => void spawnSync('umount', [dir]) };
}
