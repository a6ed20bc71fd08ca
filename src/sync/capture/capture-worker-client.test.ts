import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCaptureWorker, type CaptureMode, type CaptureWorker } from './capture-worker-client';
import { defaultEncodeOptions } from './encoder';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';

let dir: ReturnType<typeof tempDir>;
let worker: CaptureWorker;
const hangFile = () => join(dir.path, 'hang');
const shotsDir = () => join(dir.path, 'shots');
const start = (mode: CaptureMode) => {
  worker = startCaptureWorker(
    { capturer: { module: syntheticCapturerModule, options: { hangFile: hangFile() } }, dir: shotsDir(), encode: defaultEncodeOptions },
    { timeoutMs: 2_000, mode },
  );
};
/** Pids of this process's capture helper processes. */
const helpers = (): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'capture-process'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

beforeEach(() => {
  dir = tempDir();
  mkdirSync(shotsDir());
});
afterEach(async () => {
  await worker.close();
  dir.remove();
});

describe.each(['thread', 'process'] as const)('capture worker client (%s)', (mode) => {
  it('a hung capture is abandoned with a clear reason, and the next capture runs on a fresh host', async () => {
    start(mode);
    writeFileSync(hangFile(), '');
    await expect(worker.shoot(Date.now())).rejects.toThrow(/capture timed out after 2 s/);
    rmSync(hangFile());
    const shots = await worker.shoot(Date.now());
    expect(shots).toHaveLength(1);
    expect(readdirSync(shotsDir()).sort()).toEqual([`${shots[0]!.id}.synthetic-0.thumb.webp`, `${shots[0]!.id}.synthetic-0.webp`]);
  });

  it('close settles a capture still in flight instead of leaving it pending forever', async () => {
    start(mode);
    await worker.shoot(Date.now());
    writeFileSync(hangFile(), '');
    const hung = worker.shoot(Date.now());
    await new Promise((r) => setImmediate(r));
    await worker.close();
    await expect(hung).rejects.toThrow(/capture worker closed/);
  });
});

describe('capture helper process', () => {
  it('captures in a child process, not in this one, and one helper serves every capture', async () => {
    start('process');
    await worker.shoot(Date.now());
    const [pid] = helpers();
    expect(pid).toBeGreaterThan(0);
    await worker.shoot(Date.now());
    expect(helpers()).toEqual([pid]);
  });

  it('a helper killed mid-capture fails that capture with the reason, is restarted, and the next capture succeeds', async () => {
    start('process');
    await worker.shoot(Date.now());
    writeFileSync(hangFile(), '');
    const hung = worker.shoot(Date.now());
    await new Promise((r) => setTimeout(r, 200));
    const [pid] = helpers();
    process.kill(pid!, 'SIGKILL');
    await expect(hung).rejects.toThrow(/capture helper process exited \(SIGKILL\)/);
    rmSync(hangFile());
    const shots = await worker.shoot(Date.now());
    expect(shots).toHaveLength(1);
    expect(helpers()).not.toContain(pid);
    expect(helpers()).toHaveLength(1);
  });
});
