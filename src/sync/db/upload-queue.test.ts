import { describe, expect, it } from 'vitest';
import { createUploadQueue } from './upload-queue';
import { createScreenshotsRepository, type ScreenshotRecord } from './screenshots.repository';
import { appendOp } from './ops.repository';
import { queueCounts, deadLetters } from './queue-counts';
import { newId } from '../../shared/ids';
import { useTempOutbox } from '../test-support/temp-outbox';
import type { SyncOp } from '../../shared/http/push';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const outbox = useTempOutbox();

function shot(takenAt: number): ScreenshotRecord {
  const id = newId(takenAt);
  return {
    id,
    entryId: null,
    takenAt,
    displayId: 'screen-0',
    width: 1920,
    height: 1080,
    bytes: 1000,
    sha256: 'a'.repeat(64),
    md5: 'AAAAAAAAAAAAAAAAAAAAAA==',
    contentType: 'image/webp',
    filePath: `/x/${id}.webp`,
    thumbPath: null,
  };
}

function entryOp(at: number, endedAt: number | null): SyncOp {
  return {
    id: newId(at),
    kind: 'entry.upsert',
    entry: {
      id: '01900000-0000-7000-8000-000000000001',
      projectId: '00000000-0000-4000-8000-000000000001',
      taskId: null,
      startedAt: new Date(T0).toISOString(),
      endedAt: endedAt === null ? null : new Date(endedAt).toISOString(),
      stopReason: endedAt === null ? null : 'user',
    },
  };
}

describe('upload queue (the outbox port the sync engine consumes)', () => {
  it('leases a due screenshot once; an expired lease returns it to the queue', () => {
    const shots = createScreenshotsRepository(outbox.db);
    const q = createUploadQueue(outbox.db);
    const a = shot(T0);
    shots.insert(a);
    const first = q.claimScreenshots(10, 30_000, T0 + 1);
    expect(first.map((j) => j.id)).toEqual([a.id]);
    expect(first[0]).toMatchObject({ filePath: a.filePath, md5: a.md5, attempts: 0, contentType: 'image/webp' });
    expect(q.claimScreenshots(10, 30_000, T0 + 29_000)).toEqual([]);
    expect(q.claimScreenshots(10, 30_000, T0 + 30_001).map((j) => j.id)).toEqual([a.id]);
  });

  it('a screenshot in the review window is not claimed until it is reviewMinutes old; the window is read at each claim', () => {
    const shots = createScreenshotsRepository(outbox.db);
    let reviewMs = 15 * 60_000;
    const q = createUploadQueue(outbox.db, { reviewMs: () => reviewMs });
    const old = shot(T0 - 16 * 60_000);
    const young = shot(T0 - 60_000);
    shots.insert(old);
    shots.insert(young);
    expect(q.claimScreenshots(10, 3_600_000, T0).map((j) => j.id)).toEqual([old.id]);
    expect(q.claimScreenshots(10, 3_600_000, T0 + 13 * 60_000)).toEqual([]);
    expect(q.claimScreenshots(10, 3_600_000, T0 + 14 * 60_000).map((j) => j.id)).toEqual([young.id]);
    const later = shot(T0 + 14 * 60_000);
    shots.insert(later);
    reviewMs = 0; // review switched off: due at once
    expect(q.claimScreenshots(10, 3_600_000, T0 + 14 * 60_000).map((j) => j.id)).toEqual([later.id]);
  });

  it('a retried screenshot waits for its next attempt and counts the attempt only when asked', () => {
    const shots = createScreenshotsRepository(outbox.db);
    const q = createUploadQueue(outbox.db);
    const a = shot(T0);
    shots.insert(a);
    q.claimScreenshots(1, 60_000, T0);
    q.retryScreenshot(a.id, T0 + 5_000, 'ECONNRESET', true);
    expect(q.claimScreenshots(1, 60_000, T0 + 4_999)).toEqual([]);
    const [again] = q.claimScreenshots(1, 60_000, T0 + 5_000);
    expect(again?.attempts).toBe(1);
    q.retryScreenshot(a.id, T0 + 6_000, 'presigned URL expired', false);
    expect(q.claimScreenshots(1, 60_000, T0 + 6_000)[0]?.attempts).toBe(1);
    expect(shots.get(a.id)?.lastError).toBe('presigned URL expired');
  });

  it('a dead letter is visible, does not block the rows behind it, and can be requeued', () => {
    const shots = createScreenshotsRepository(outbox.db);
    const q = createUploadQueue(outbox.db);
    const a = shot(T0);
    const b = shot(T0 + 1000);
    shots.insert(a);
    shots.insert(b);
    q.claimScreenshots(1, 60_000, T0 + 2000);
    q.deadScreenshot(a.id, '413 too large', T0 + 2000);
    expect(q.claimScreenshots(5, 60_000, T0 + 2000).map((j) => j.id)).toEqual([b.id]);
    expect(deadLetters(outbox.db)).toEqual([{ id: a.id, kind: 'screenshot', reason: '413 too large', attempts: 1, failedAt: T0 + 2000 }]);
    expect(queueCounts(outbox.db, T0 + 2000)).toMatchObject({ screenshots: 1, dead: 1, bytesPending: 1000 });
    q.markScreenshotDone(b.id, T0 + 3000);
    expect(q.requeueDead(undefined, T0 + 4000)).toBe(1);
    expect(q.claimScreenshots(5, 60_000, T0 + 4000).map((j) => j.id)).toEqual([a.id]);
    expect(shots.get(b.id)?.state).toBe('done');
  });

  it('ops come back in creation order with their validated payload; done ops leave the queue', () => {
    const q = createUploadQueue(outbox.db);
    const start = appendOp(outbox.db, entryOp(T0, null), T0);
    const stop = appendOp(outbox.db, entryOp(T0 + 60_000, T0 + 60_000), T0 + 60_000);
    const jobs = q.claimOps(10, 30_000, T0 + 60_000);
    expect(jobs.map((j) => j.id)).toEqual([start.id, stop.id]);
    expect(jobs[1]?.op).toEqual(stop);
    q.retryOps([stop.id], T0 + 70_000, '503', true);
    q.markOpsDone([start.id], T0 + 61_000);
    expect(q.claimOps(10, 30_000, T0 + 65_000)).toEqual([]);
    const [retried] = q.claimOps(10, 30_000, T0 + 70_000);
    expect(retried).toMatchObject({ id: stop.id, attempts: 1 });
    q.deadOp(stop.id, '422 invalid', T0 + 71_000);
    expect(queueCounts(outbox.db, T0 + 71_000)).toMatchObject({ ops: 0, dead: 1, oldestUnsyncedSeconds: null });
    expect(q.requeueDead(stop.id, T0 + 72_000)).toBe(1);
  });

  it('ops made in the same millisecond come back in the order they were made', () => {
    const q = createUploadQueue(outbox.db);
    const made: string[] = [];
    for (let i = 0; i < 20; i++) {
      const entry = { id: newId(T0), projectId: '00000000-0000-4000-8000-000000000001', taskId: null, startedAt: new Date(T0).toISOString() };
      for (const endedAt of [null, new Date(T0).toISOString()]) {
        const op: SyncOp = { id: newId(T0), kind: 'entry.upsert', entry: { ...entry, endedAt, stopReason: endedAt ? 'user' : null } };
        made.push(appendOp(outbox.db, op, T0).id);
      }
    }
    expect(q.claimOps(100, 30_000, T0).map((j) => j.id)).toEqual(made);
  });

  it('refuses an op that does not match the wire schema, so nothing invalid reaches the queue', () => {
    const bad = { ...entryOp(T0, null), id: 'not-a-uuid' } as SyncOp;
    expect(() => appendOp(outbox.db, bad, T0)).toThrow(/UUIDv7/);
    expect(queueCounts(outbox.db, T0).ops).toBe(0);
  });
});
