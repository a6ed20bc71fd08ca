import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { appendOp } from '../db/ops.repository';
import { createScreenshotsRepository } from '../db/screenshots.repository';
import { createUploadQueue } from '../db/upload-queue';
import { useTempOutbox } from '../test-support/temp-outbox';
import { deviceReport } from './device-report';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const outbox = useTempOutbox();
const facts = { appVersion: '1.2.3', policyError: () => null };
const iso = (ms: number) => new Date(ms).toISOString();

const addShot = (at: number) => {
  const id = newId(at);
  createScreenshotsRepository(outbox.db).insert({
    id, entryId: null, takenAt: at, displayId: 'screen', width: 1, height: 1, bytes: 10,
    sha256: 'a'.repeat(64), md5: 'AAAAAAAAAAAAAAAAAAAAAA==', contentType: 'image/webp', filePath: `/x/${id}.webp`, thumbPath: null,
  });
  return id;
};
const addOp = (at: number) => appendOp(outbox.db, { id: newId(at), kind: 'screenshot.delete', screenshotId: newId(at), deletedAt: iso(at) }, at).id;

describe('the device report sent with a push', () => {
  it('an empty outbox: nothing waits', () => {
    expect(deviceReport(outbox.db, facts, [])).toEqual({ appVersion: '1.2.3', queue: { screenshots: 0, ops: 0, deadLetters: 0, oldestUnsyncedAt: null }, policyError: null });
  });

  it('leaves out the ops of the push it rides on; the oldest of the rest, screenshots or ops, is the oldest unsynced', () => {
    const pushed = [addOp(T0), addOp(T0 + 1000)];
    expect(deviceReport(outbox.db, facts, pushed).queue).toEqual({ screenshots: 0, ops: 0, deadLetters: 0, oldestUnsyncedAt: null });
    addOp(T0 + 5000);
    expect(deviceReport(outbox.db, facts, pushed).queue).toMatchObject({ ops: 1, oldestUnsyncedAt: iso(T0 + 5000) });
    addShot(T0 + 3000);
    expect(deviceReport(outbox.db, facts, pushed).queue).toMatchObject({ screenshots: 1, ops: 1, oldestUnsyncedAt: iso(T0 + 3000) });
    expect(deviceReport(outbox.db, facts, []).queue).toMatchObject({ ops: 3, oldestUnsyncedAt: iso(T0) });
  });

  it('counts dead letters of both kinds, and says why the policy file was not applied (cut to the contract’s length)', () => {
    const q = createUploadQueue(outbox.db);
    q.deadOp(addOp(T0), 'refused', T0);
    q.deadScreenshot(addShot(T0), 'refused', T0);
    const report = deviceReport(outbox.db, { appVersion: '1.2.3', policyError: () => `x${'y'.repeat(3000)}` }, []);
    expect(report.queue).toEqual({ screenshots: 0, ops: 0, deadLetters: 2, oldestUnsyncedAt: null });
    expect(report.policyError).toHaveLength(2000);
  });
});
