import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCaptureWorker, type CaptureWorker } from './capture-worker-client';
import { defaultEncodeOptions } from './encoder';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';

let dir: ReturnType<typeof tempDir>;
let worker: CaptureWorker;
const hangFile = () => join(dir.path, 'hang');
const shotsDir = () => join(dir.path, 'shots');

beforeEach(() => {
  dir = tempDir();
  mkdirSync(shotsDir());
  worker = startCaptureWorker(
    { capturer: { module: syntheticCapturerModule, options: { hangFile: hangFile() } }, dir: shotsDir(), encode: defaultEncodeOptions },
    { timeoutMs: 2_000 },
  );
});
afterEach(async () => {
  await worker.close();
  dir.remove();
});

describe('capture worker client', () => {
  it('a hung capture is abandoned with a clear reason, and the next capture runs on a fresh worker', async () => {
    writeFileSync(hangFile(), '');
    await expect(worker.shoot(Date.now())).rejects.toThrow(/capture timed out after 2 s/);
    rmSync(hangFile());
    const shots = await worker.shoot(Date.now());
    expect(shots).toHaveLength(1);
    expect(readdirSync(shotsDir()).sort()).toEqual([`${shots[0]!.id}.synthetic-0.thumb.webp`, `${shots[0]!.id}.synthetic-0.webp`]);
  });

  it('close settles a capture still in flight instead of leaving it pending forever', async () => {
    await worker.shoot(Date.now());
    writeFileSync(hangFile(), '');
    const hung = worker.shoot(Date.now());
    await new Promise((r) => setImmediate(r));
    await worker.close();
    await expect(hung).rejects.toThrow(/capture worker closed/);
  });
});
