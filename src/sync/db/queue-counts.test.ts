import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from './open-db';
import { createUploadQueue } from './upload-queue';
import { createScreenshotsRepository } from './screenshots.repository';
import { appendOp } from './ops.repository';
import { queueCounts } from './queue-counts';
import { newId } from '../../shared/ids';
import { migrate } from './migrations';
import { releaseLeases } from './outbox';
import { useTempOutbox } from '../test-support/temp-outbox';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const outbox = useTempOutbox();

/** The same counts by brute force over the rows. */
function scanned(d: Db, now: number) {
  const s = d.prepare(`SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b, min(taken_at) AS o FROM screenshots WHERE state IN ('captured', 'uploading')`).get() as { n: number; b: number; o: number | null };
  const o = d.prepare(`SELECT count(*) AS n, min(created_at) AS o FROM ops WHERE state IN ('pending', 'sending')`).get() as { n: number; o: number | null };
  const dead = (d.prepare(`SELECT (SELECT count(*) FROM screenshots WHERE state = 'dead') + (SELECT count(*) FROM ops WHERE state = 'dead')`).pluck().get() as number);
  const oldest = [s.o, o.o].filter((x): x is number => x !== null);
  return { screenshots: s.n, ops: o.n, dead, bytesPending: s.b, oldestUnsyncedSeconds: oldest.length ? Math.max(0, Math.round((now - Math.min(...oldest)) / 1000)) : null };
}

function addShot(d: Db, at: number, bytes: number): string {
  const id = newId(at);
  createScreenshotsRepository(d).insert({
    id, entryId: null, takenAt: at, displayId: 'screen', width: 1, height: 1, bytes,
    sha256: 'a'.repeat(64), md5: 'AAAAAAAAAAAAAAAAAAAAAA==', contentType: 'image/webp', filePath: `/x/${id}.webp`, thumbPath: null,
  });
  return id;
}
const addOp = (d: Db, at: number) => appendOp(d, { id: newId(at), kind: 'screenshot.delete', screenshotId: newId(at), deletedAt: new Date(at).toISOString() }, at).id;

describe('queue counts', () => {
  it('stay equal to a full scan through every outbox transition (300 random steps)', () => {
    const q = createUploadQueue(outbox.db);
    const shots = createScreenshotsRepository(outbox.db);
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const shotIds: string[] = [];
    const opIds: string[] = [];
    let now = T0;
    for (let step = 0; step < 300; step++) {
      now += 1000;
      const pickShot = () => shotIds[rnd(shotIds.length)]!;
      const pickOp = () => opIds[rnd(opIds.length)]!;
      const action = rnd(13);
      if (action === 0 || shotIds.length === 0) shotIds.push(addShot(outbox.db, now, 1000 + rnd(5000)));
      else if (action === 1 || opIds.length === 0) opIds.push(addOp(outbox.db, now));
      else if (action === 2) q.claimScreenshots(1 + rnd(3), rnd(2) ? 5000 : 60_000, now);
      else if (action === 3) q.claimOps(1 + rnd(5), 5000, now);
      else if (action === 4) q.markScreenshotDone(pickShot(), now);
      else if (action === 5) q.retryScreenshot(pickShot(), now + rnd(10_000), 'ECONNRESET', true);
      else if (action === 6) q.deadScreenshot(pickShot(), '413', now);
      else if (action === 7) q.markOpsDone([pickOp()], now);
      else if (action === 8) q.retryOps([pickOp()], now + rnd(10_000), '503', true);
      else if (action === 9) q.deadOp(pickOp(), '422', now);
      else if (action === 10) q.requeueDead(rnd(2) ? undefined : pickShot(), now);
      else if (action === 11) shots.remove(pickShot());
      else releaseLeases(outbox.db);
      expect(queueCounts(outbox.db, now), `step ${step} action ${action}`).toEqual(scanned(outbox.db, now));
    }
  });

  it('an outbox made by schema v1 gets its totals counted from its rows when it migrates', () => {
    const raw = new Database(join(outbox.dir, 'old.db'));
    migrate(raw, 1);
    for (let i = 0; i < 5; i++) addShot(raw, T0 + i, 100);
    for (let i = 0; i < 3; i++) addOp(raw, T0 + i);
    raw.prepare(`UPDATE screenshots SET state = 'dead' WHERE rowid = 1`).run();
    raw.close();
    const opened = openDb(join(outbox.dir, 'old.db'));
    try {
      expect(queueCounts(opened, T0 + 10_000)).toEqual({ screenshots: 4, ops: 3, dead: 1, bytesPending: 400, oldestUnsyncedSeconds: 10 });
      expect(queueCounts(opened, T0 + 10_000)).toEqual(scanned(opened, T0 + 10_000));
    } finally {
      opened.close();
    }
  });
});
