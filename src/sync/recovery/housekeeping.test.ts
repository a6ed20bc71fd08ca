import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScreenshotsRepository } from '../db/screenshots.repository';
import { createUploadQueue } from '../db/upload-queue';
import { newId } from '../../shared/ids';
import { createFakeClock } from '../test-support/fake-clock';
import { useTempOutbox } from '../test-support/temp-outbox';
import { HOUSEKEEPING_MS, startHousekeeping } from './housekeeping';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const outbox = useTempOutbox();

function uploadedShot(at: number): string {
  const id = newId(at);
  const filePath = join(outbox.dir, `${id}.screen.webp`);
  writeFileSync(filePath, 'image');
  createScreenshotsRepository(outbox.db).insert({
    id, entryId: null, takenAt: at, displayId: 'screen', width: 1, height: 1, bytes: 5,
    sha256: 'a'.repeat(64), md5: 'AAAAAAAAAAAAAAAAAAAAAA==', contentType: 'image/webp', filePath, thumbPath: null,
  });
  const queue = createUploadQueue(outbox.db);
  queue.claimScreenshots(1, 60_000, at);
  queue.markScreenshotDone(id, at);
  return filePath;
}

describe('housekeeping', () => {
  it('removes the files of uploaded screenshots once their keep-local period passed, every round', async () => {
    const clock = createFakeClock(T0);
    const keepMs = 7 * HOUSEKEEPING_MS;
    const file = uploadedShot(T0);
    const hk = startHousekeeping({ db: outbox.db, clock, keepMs: () => keepMs, log: () => undefined });
    await clock.advance(6 * HOUSEKEEPING_MS);
    expect(existsSync(file)).toBe(true);
    await clock.advance(2 * HOUSEKEEPING_MS);
    // The round's unlink runs on libuv's thread pool: the fake clock's settling does not wait for it.
    await expect.poll(() => existsSync(file), { timeout: 10_000, interval: 20 }).toBe(false);
    expect(createScreenshotsRepository(outbox.db).all()).toMatchObject([{ state: 'done' }]);
    await hk.stop();
  });

  it('stop during a round waits for it and never re-arms, so the database can close', async () => {
    const clock = createFakeClock(T0);
    const file = uploadedShot(T0);
    const lines: string[] = [];
    const hk = startHousekeeping({ db: outbox.db, clock, keepMs: () => 0, log: (l) => lines.push(l) });
    const advancing = clock.advance(HOUSEKEEPING_MS); // the round starts and awaits its unlinks
    await hk.stop();
    outbox.db.close();
    await advancing;
    await clock.advance(3 * HOUSEKEEPING_MS);
    expect(existsSync(file)).toBe(false);
    expect(clock.pending()).toBe(0);
    expect(lines).toEqual([]);
  });
});
