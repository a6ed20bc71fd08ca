import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { CreateScreenshotResponse } from '../src/shared/http/screenshots';
import { pruneOpReceipts } from './jobs/retention.job';
import { userKeyPrefix } from './store/blob/object-keys';
import { findScreenshot } from './store/screenshots.repository';
import { declareShot, eventually, makeImage, putBlob, uploadScreenshot } from './test-support/api';
import { useTestServer, type Fixture } from './test-support/fixture';

// GDPR erasure and retention must leave no byte of a user in the store, whichever driver runs it
// (issue 8 item 4). The store is listed by the user's key prefix afterwards.
const drivers: Array<[string, Fixture]> = [
  ['s3 (RGW)', useTestServer({ blob: 's3' })],
  ['fs', useTestServer({ blob: 'fs' })],
];

/** Declares a screenshot, deletes it by push op (its row is gone, a tombstone stays), then lands its bytes anyway. */
async function landAfterDelete(fx: Fixture, who: 'employee' | 'employee2', deviceId: string, seed: number): Promise<string> {
  const image = await makeImage(160, 100, seed);
  const decl = declareShot(image, deviceId, { width: 160, height: 100 });
  const created = await fx.as(who).post<CreateScreenshotResponse>('/v1/screenshots', decl);
  if (created.body.status !== 'upload') throw new Error(`declare failed: ${created.status}`);
  const key = (await fx.srv.db.system((tx) => findScreenshot(tx, decl.id)))?.object_key as string;
  const push = await fx.as(who).post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
    deviceId,
    sentAt: new Date().toISOString(),
    ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: decl.id, deletedAt: new Date().toISOString() }],
  });
  expect(push.body.results[0]?.outcome).toBe('applied');
  expect(await fx.srv.db.system((tx) => findScreenshot(tx, decl.id))).toBeNull();
  expect((await putBlob(created.body.upload, image)).status).toBe(200);
  expect(await fx.srv.blobs.head(key)).not.toBeNull();
  return key;
}

describe.each(drivers)('no byte of a user is left behind (%s)', (_name, fx) => {
  it('GDPR erasure empties the user\'s prefix, including an object that landed after its row was gone', async () => {
    const s = fx.srv.seed;
    const deviceId = uuidv7();
    const stored = await uploadScreenshot(fx.srv.url, fx.tokens.employee2, deviceId);
    await eventually(async () => (await fx.srv.db.system((tx) => findScreenshot(tx, stored)))?.thumb_key);
    const orphan = await landAfterDelete(fx, 'employee2', deviceId, 21);
    const prefix = userKeyPrefix(s.orgId, s.employee2.id);
    expect((await fx.srv.blobs.list(prefix)).length).toBeGreaterThanOrEqual(3);
    const erased = await fx.as('admin').del<{ deleted: { screenshots: number } }>(`/v1/users/${s.employee2.id}/data`);
    expect(erased.status).toBe(200);
    expect(erased.body.deleted.screenshots).toBe(1);
    expect(await fx.srv.blobs.list(prefix)).toEqual([]);
    expect(await fx.srv.blobs.head(orphan)).toBeNull();
  });

  it('the retention job deletes a tombstone\'s object before pruning the tombstone', async () => {
    const key = await landAfterDelete(fx, 'employee', uuidv7(), 22);
    await fx.srv.db.system((tx) => tx.query(`UPDATE screenshot_tombstones SET deleted_at = now() - interval '31 days' WHERE object_key = $1`, [key]));
    await pruneOpReceipts(fx.srv.ctx);
    const left = await fx.srv.db.system((tx) => tx.query(`SELECT 1 FROM screenshot_tombstones WHERE object_key = $1`, [key]));
    expect(left.rowCount).toBe(0);
    expect(await fx.srv.blobs.head(key)).toBeNull();
    expect(await fx.srv.blobs.list(userKeyPrefix(fx.srv.seed.orgId, fx.srv.seed.employee.id))).not.toContain(key);
  });
});
