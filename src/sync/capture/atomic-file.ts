import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { faultPoint } from '../test-hooks/fault-point';

export const TEMP_SUFFIX = '.tmp';

/**
 * Durable replace: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. After this resolves the file survives a power cut; before,
 * a crash leaves at most a `*.tmp` file that start-up recovery deletes.
 */
export async function writeFileAtomic(path: string, data: Buffer): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}${TEMP_SUFFIX}`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    try {
      const half = Math.floor(data.length / 2);
      await fh.write(data, 0, half, 0);
      faultPoint('file-write');
      await fh.write(data, half, data.length - half, half);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A failed write (ENOSPC, EIO) must not leave a partial file behind.
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Deletes the `*.tmp` files of writes that never finished (a worker ended mid-write). Only safe
 * when nothing writes in `dir` any more: at start-up before capture, and at shutdown after it.
 */
export async function removeTempFiles(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const temps = names.filter((n) => n.endsWith(TEMP_SUFFIX));
  await Promise.all(temps.map((n) => unlink(join(dir, n)).catch(() => undefined)));
  return temps.length;
}
