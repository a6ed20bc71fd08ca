import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../store/blob/blob-store';
import { thumbKey } from '../store/blob/object-keys';
import { uploadScreenshot } from '../test-support/api';
import { useTestServer } from '../test-support/fixture';
import { eraseUserData } from '../services/privacy.service';
import { markProcessed } from '../store/screenshots.repository';
import { processScreenshot } from './screenshot-process.job';

const fx = useTestServer({ jobs: false });

async function storedShot(): Promise<{ id: string; key: string }> {
  const id = await uploadScreenshot(fx.srv.url, fx.tokens.employee, uuidv7());
  const row = await fx.srv.db.system(async (tx) => (await tx.query<{ object_key: string }>('SELECT object_key FROM screenshots WHERE id = $1', [id])).rows[0]);
  return { id, key: row?.object_key as string };
}

describe('the screenshot job', () => {
  it('verifies a stored image and records its thumbnail', async () => {
    const shot = await storedShot();
    expect(await processScreenshot(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotId: shot.id })).toBe('verified');
    expect(await fx.srv.blobs.head(thumbKey(shot.key))).not.toBeNull();
  });

  it('leaves no thumbnail behind when the screenshot is deleted while the job decodes it', async () => {
    const shot = await storedShot();
    // The owner deletes it (within the grace window) right after the job fetched the bytes.
    const blobs: BlobStore = Object.create(fx.srv.blobs, {
      get: {
        value: async (key: string) => {
          const bytes = await fx.srv.blobs.get(key);
          expect((await fx.as('employee').del(`/v1/screenshots/${shot.id}`)).status).toBe(204);
          return bytes;
        },
      },
    }) as BlobStore;
    expect(await processScreenshot({ ...fx.srv.ctx, blobs }, { orgId: fx.srv.seed.orgId, screenshotId: shot.id })).toBe('gone');
    expect(await fx.srv.blobs.head(shot.key)).toBeNull();
    expect(await fx.srv.blobs.head(thumbKey(shot.key))).toBeNull();
  });
});

describe('an erasure racing the job', () => {
  it('leaves no thumbnail behind when the job records one between the erasure deleting the objects and the rows', async () => {
    const shot = await storedShot();
    let raced = false;
    const blobs: BlobStore = Object.create(fx.srv.blobs, {
      // The erasure deletes by the user's key prefix: objects, then rows, then the prefix again.
      deletePrefix: {
        value: async (prefix: string) => {
          const n = await fx.srv.blobs.deletePrefix(prefix);
          if (!raced) {
            // What a job that decoded the image just before does now: store and record the thumbnail.
            raced = true;
            await fx.srv.blobs.put(thumbKey(shot.key), Buffer.from('thumbnail'), 'image/webp');
            expect(await fx.srv.db.inOrg(fx.srv.seed.orgId, (tx) => markProcessed(tx, shot.id, thumbKey(shot.key), true, new Date()))).toBe(true);
          }
          return n;
        },
      },
    }) as BlobStore;
    const admin = { orgId: fx.srv.seed.orgId, userId: fx.srv.seed.admin.id, role: 'admin' as const, deviceId: null };
    await eraseUserData({ ...fx.srv.ctx, blobs }, admin, fx.srv.seed.employee.id);
    expect(raced).toBe(true);
    expect(await fx.srv.blobs.head(thumbKey(shot.key))).toBeNull();
  });
});
