import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));

const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

it('a cluster whose owner is SIGKILLed is shut down by its watchdog (fast shutdown: the lock file is removed)', { timeout: 120_000 }, async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'stint-pg-dog-'));
  const dataDir = path.join(base, 'pg');
  const code = `import { startEmbeddedPostgres } from ${JSON.stringify(MODULE)};
await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
console.log('up');
setInterval(() => undefined, 1000);`;
  const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let postmaster = 0;
  try {
    let out = '';
    owner.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toContain('up');
    postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(running(postmaster)).toBe(true);

    owner.kill('SIGKILL');
    await expect.poll(() => running(postmaster), { timeout: 60_000, interval: 200 }).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  } finally {
    owner.kill('SIGKILL');
    if (postmaster && running(postmaster)) process.kill(postmaster, 'SIGKILL');
    rmSync(base, { recursive: true, force: true });
  }
});
