import type { Clock } from '../clock';
import { describeStorageError, isDiskFull } from './storage-health';

export const DISK_FULL_RETRY_MS = 5_000;

/**
 * Runs `open` (the tracker's start-up: it writes the outbox) until the disk has room. A full disk
 * is reported and waited out, never a reason to exit; any other failure is the caller's.
 */
export async function whenWritable<T>(open: () => Promise<T>, o: { clock: Clock; log: (line: string) => void; signal?: AbortSignal }): Promise<T> {
  let reported = false;
  for (;;) {
    try {
      const value = await open();
      if (reported) o.log('the disk has room again: starting');
      return value;
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      if (!reported) o.log(`cannot start: ${describeStorageError(err)}; trying again every ${DISK_FULL_RETRY_MS / 1000} s (nothing recorded is lost)`);
      reported = true;
      await o.clock.sleep(DISK_FULL_RETRY_MS, o.signal);
    }
  }
}
