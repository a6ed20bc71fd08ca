import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { pruneOpReceipts, purgeExpiredScreenshots } from './jobs/retention.job';
import { declareShot, makeImage, putBlob, uploadScreenshot } from './test-support/api';
import type { CreateScreenshotResponse } from '../src/shared/http/screenshots';
import { useTestServer } from './test-support/fixture';
import { findScreenshot } from './store/screenshots.repository';

const fx = useTestServer({ blob: 's3' });
const deviceId = uuidv7();
const otherDevice = uuidv7();

async function objectOf(id: string) {
  const row = await fx.srv.db.system((tx) => findScreenshot(tx, id));
  return row ? { row, head: await fx.srv.blobs.head(row.object_key) } : null;
}

const actions = async () =>
  (await fx.as('admin').get<{ entries: Array<{ action: string; targetId: string | null; actorId: string | null }> }>('/v1/audit?limit=1000')).body.entries;

describe('deleting screenshots', () => {
  it('an employee deletes their own within the grace window: object and row are gone, and it is audited', async () => {
    const id = await uploadScreenshot(fx.srv.url, fx.tokens.employee, deviceId);
    const before = await objectOf(id);
    expect(before?.head?.size).toBeGreaterThan(0);
    expect((await fx.as('employee').del(`/v1/screenshots/${id}`)).status).toBe(204);
    expect(await objectOf(id)).toBeNull();
    expect(await fx.srv.blobs.head(before?.row.object_key as string)).toBeNull();
    expect(await actions()).toContainEqual(expect.objectContaining({ action: 'screenshot.delete', targetId: id, actorId: fx.srv.seed.employee.id }));
  });

  it('after the grace window the employee gets 403 (API and push op); an admin may still delete', async () => {
    const id = await uploadScreenshot(fx.srv.url, fx.tokens.employee, deviceId, new Date(Date.now() - 3_600_000));
    const r = await fx.as('employee').del<{ detail: string }>(`/v1/screenshots/${id}`);
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/within 600 s/);
    const push = await fx.as('employee').post<{ results: Array<{ outcome: string; status: number }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: id, deletedAt: new Date().toISOString() }],
    });
    expect(push.body.results[0]).toMatchObject({ outcome: 'rejected', status: 403 });
    expect((await fx.as('admin').del(`/v1/screenshots/${id}`)).status).toBe(204);
    expect(await objectOf(id)).toBeNull();
  });

  it('a screenshot.delete op within the grace window deletes it, and the audit log says who', async () => {
    const id = await uploadScreenshot(fx.srv.url, fx.tokens.employee, deviceId);
    const key = (await objectOf(id))?.row.object_key as string;
    const push = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: id, deletedAt: new Date().toISOString() }],
    });
    expect(push.body.results[0]?.outcome).toBe('applied');
    expect(await objectOf(id)).toBeNull();
    expect(await fx.srv.blobs.head(key)).toBeNull();
    expect(await actions()).toContainEqual(expect.objectContaining({ action: 'screenshot.delete', targetId: id, actorId: fx.srv.seed.employee.id }));
  });
});

describe('a screenshot deleted while its upload is in flight is never stored', () => {
  const deleteOp = (screenshotId: string) =>
    fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId, deletedAt: new Date().toISOString() }],
    });

  it('the delete op arrives before the declaration: the declaration gets 410 and nothing is stored', async () => {
    const image = await makeImage(160, 100, 5);
    const decl = declareShot(image, deviceId, { width: 160, height: 100 });
    expect((await deleteOp(decl.id)).body.results[0]?.outcome).toBe('applied');
    const created = await fx.as('employee').post<{ status: number; detail: string }>('/v1/screenshots', decl);
    expect(created.status).toBe(410);
    expect(created.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(created.body.detail).toMatch(/deleted by its owner/);
    expect(await objectOf(decl.id)).toBeNull();
  });

  it('declared, then deleted, then PUT: complete gets 410 and the object that landed is removed', async () => {
    const image = await makeImage(160, 100, 6);
    const decl = declareShot(image, deviceId, { width: 160, height: 100 });
    const created = await fx.as('employee').post<CreateScreenshotResponse>('/v1/screenshots', decl);
    if (created.body.status !== 'upload') throw new Error(`declare failed: ${created.status}`);
    const key = (await objectOf(decl.id))?.row.object_key as string;
    expect((await deleteOp(decl.id)).body.results[0]?.outcome).toBe('applied');
    expect((await putBlob(created.body.upload, image)).status).toBe(200);
    expect(await fx.srv.blobs.head(key)).not.toBeNull();
    const done = await fx.as('employee').post<{ detail: string }>(`/v1/screenshots/${decl.id}/complete`);
    expect(done.status).toBe(410);
    expect(await fx.srv.blobs.head(key)).toBeNull();
    expect(await objectOf(decl.id)).toBeNull();
  });

  it('declared, deleted through REST, then PUT: complete and a re-declaration get 410 and the object that landed is removed', async () => {
    const image = await makeImage(160, 100, 8);
    const decl = declareShot(image, deviceId, { width: 160, height: 100 });
    const created = await fx.as('employee').post<CreateScreenshotResponse>('/v1/screenshots', decl);
    if (created.body.status !== 'upload') throw new Error(`declare failed: ${created.status}`);
    const key = (await objectOf(decl.id))?.row.object_key as string;
    expect((await fx.as('employee').del(`/v1/screenshots/${decl.id}`)).status).toBe(204);
    expect((await putBlob(created.body.upload, image)).status).toBe(200);
    const again = await fx.as('employee').post<{ detail: string }>('/v1/screenshots', decl);
    expect(again.status).toBe(410);
    const done = await fx.as('employee').post<{ detail: string }>(`/v1/screenshots/${decl.id}/complete`);
    expect(done.status).toBe(410);
    expect(await fx.srv.blobs.head(key)).toBeNull();
    expect(await objectOf(decl.id)).toBeNull();
  });

  it("another user's tombstone does not block an id (tombstones are per owner)", async () => {
    const image = await makeImage(160, 100, 7);
    const decl = declareShot(image, otherDevice, { width: 160, height: 100 });
    expect((await deleteOp(decl.id)).body.results[0]?.outcome).toBe('applied');
    const created = await fx.as('employee2').post<CreateScreenshotResponse>('/v1/screenshots', decl);
    expect(created.body.status).toBe('upload');
  });
});

describe('retention and GDPR', () => {
  it('the retention job purges screenshots older than the org policy, objects first', async () => {
    const old = await uploadScreenshot(fx.srv.url, fx.tokens.employee2, otherDevice, new Date(Date.now() - 5 * 86_400_000));
    const fresh = await uploadScreenshot(fx.srv.url, fx.tokens.employee2, otherDevice);
    const oldKey = (await objectOf(old))?.row.object_key as string;
    expect((await fx.as('admin').put('/v1/org/retention', { retentionDays: 2 })).status).toBe(204);
    expect(await purgeExpiredScreenshots(fx.srv.ctx)).toBe(1);
    expect(await objectOf(old)).toBeNull();
    expect(await fx.srv.blobs.head(oldKey)).toBeNull();
    expect(await objectOf(fresh)).not.toBeNull();
    const log = await actions();
    expect(log).toContainEqual(expect.objectContaining({ action: 'retention.update', actorId: fx.srv.seed.admin.id }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'retention.purge', actorId: null }));
    expect((await fx.as('admin').get<{ org: { retentionDays: number } }>('/v1/me')).body.org.retentionDays).toBe(2);
  });

  it('push-op receipts older than 30 days are pruned; a late replay of a pruned op adds nothing', async () => {
    const minute = (ago: number) => ({ id: uuidv7(), entryId: null, minuteStart: new Date(Math.floor(Date.now() / 60_000) * 60_000 - ago).toISOString(), activeSeconds: 5, trackedSeconds: 60, apps: [] });
    const oldOp = { id: uuidv7(), kind: 'activity.minute', minute: minute(120_000) };
    const newOp = { id: uuidv7(), kind: 'activity.minute', minute: minute(180_000) };
    const push = (ops: object[]) => fx.as('employee2').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', { deviceId: otherDevice, sentAt: new Date().toISOString(), ops });
    expect((await push([oldOp, newOp])).body.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    await fx.srv.db.system((tx) => tx.query(`UPDATE sync_ops SET applied_at = now() - interval '31 days' WHERE id = $1`, [oldOp.id]));
    expect(await pruneOpReceipts(fx.srv.ctx)).toBe(1);
    const receipts = await fx.srv.db.system(async (tx) => (await tx.query('SELECT id FROM sync_ops WHERE id = ANY($1::uuid[])', [[oldOp.id, newOp.id]])).rows);
    expect(receipts).toEqual([{ id: newOp.id }]);
    expect((await push([oldOp])).body.results[0]?.outcome).toBe('applied');
    const rows = await fx.srv.db.system(async (tx) => (await tx.query('SELECT count(*)::int AS n FROM activity_minutes WHERE id = $1', [oldOp.minute.id])).rows[0]);
    expect(rows).toEqual({ n: 1 });
  });

  it('export returns the user\'s data with image URLs that load; erase removes it all and both are audited', async () => {
    const dev = uuidv7();
    const id = await uploadScreenshot(fx.srv.url, fx.tokens.outsider, dev);
    const entryId = uuidv7();
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    await fx.as('outsider').post('/v1/sync/push', {
      deviceId: dev,
      sentAt: new Date().toISOString(),
      ops: [
        { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryId, projectId: fx.srv.seed.project.id, taskId: null, startedAt: minute, endedAt: null, stopReason: null } },
        { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId, minuteStart: minute, activeSeconds: 10, trackedSeconds: 60, apps: [] } },
      ],
    });
    const exp = await fx.as('outsider').get<{ entries: unknown[]; activityMinutes: unknown[]; screenshots: Array<{ id: string; url: string }> }>(
      `/v1/users/${fx.srv.seed.outsider.id}/export`,
    );
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-disposition')).toContain('attachment');
    expect(exp.body.entries).toHaveLength(1);
    expect(exp.body.activityMinutes).toHaveLength(1);
    expect(exp.body.screenshots.map((s) => s.id)).toEqual([id]);
    expect((await fetch(exp.body.screenshots[0]?.url as string)).status).toBe(200);
    const key = (await objectOf(id))?.row.object_key as string;
    const erased = await fx.as('admin').del<{ deleted: Record<string, number> }>(`/v1/users/${fx.srv.seed.outsider.id}/data`);
    expect(erased.body.deleted).toEqual({ screenshots: 1, activityMinutes: 1, idleSpans: 0, entries: 1 });
    expect(await fx.srv.blobs.head(key)).toBeNull();
    const after = await fx.as('outsider').get<{ entries: unknown[]; screenshots: unknown[] }>(`/v1/users/${fx.srv.seed.outsider.id}/export`);
    expect([after.body.entries, after.body.screenshots]).toEqual([[], []]);
    const log = await actions();
    expect(log).toContainEqual(expect.objectContaining({ action: 'user.export', actorId: fx.srv.seed.outsider.id }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'user.erase', actorId: fx.srv.seed.admin.id, targetId: fx.srv.seed.outsider.id }));
  });

  it('a policy change is applied, served to devices through /v1/me, and audited', async () => {
    const r = await fx.as('admin').put<{ screenshotsPerSlot: number }>('/v1/org/policy', { screenshotsPerSlot: 2, blurScreenshots: true });
    expect(r.body.screenshotsPerSlot).toBe(2);
    const me = await fx.as('employee').get<{ policy: { screenshotsPerSlot: number; blurScreenshots: boolean } }>('/v1/me');
    expect(me.body.policy).toMatchObject({ screenshotsPerSlot: 2, blurScreenshots: true });
    expect(await actions()).toContainEqual(expect.objectContaining({ action: 'policy.update', actorId: fx.srv.seed.admin.id }));
    expect((await fx.as('admin').put('/v1/org/policy', { screenshotsPerSlot: 99 })).status).toBe(400);
    const one = await fx.as('admin').put('/v1/org/policy', { recordWindowTitles: true });
    expect(one.body).toMatchObject({ screenshotsPerSlot: 2, blurScreenshots: true, recordWindowTitles: true });
  });

  it('two admins changing different policy fields at once both keep their change (five rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const perSlot = round % 2 === 0 ? 3 : 1;
      const blur = round % 2 === 0;
      const [a, b] = await Promise.all([
        fx.as('admin').put('/v1/org/policy', { screenshotsPerSlot: perSlot }),
        fx.as('admin').put('/v1/org/policy', { blurScreenshots: blur }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const me = await fx.as('employee').get<{ policy: { screenshotsPerSlot: number; blurScreenshots: boolean } }>('/v1/me');
      expect(me.body.policy).toMatchObject({ screenshotsPerSlot: perSlot, blurScreenshots: blur });
    }
  });
});
