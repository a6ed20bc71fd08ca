import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import type { DeclareBatchItem, DeclareBatchResponse } from '../src/shared/http/screenshot-batch';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { processScreenshots } from './jobs/screenshot-process.job';
import { OBJECT_CACHE_CONTROL, SIGNED_GET_CACHE_CONTROL } from './store/blob/cache-policy';
import { createS3Client } from './store/blob/s3-blob-store';
import { thumbKey } from './store/blob/object-keys';
import { VIEW_URL_BUCKET_SECONDS, VIEW_URL_SECONDS } from './services/view-urls';
import { api, declareShot, enrollDevice, makeImage, putBlob } from './test-support/api';
import { useTestServer } from './test-support/fixture';

// The server's clock is the real one unless a test pins it to an instant (S3 checks signatures on
// the real one). Pinned, not shifted: a shifted clock goes on running while a request is served, so
// "a second before the bucket ends" could be past it by the time the URL is signed.
let pinned: number | null = null;
const fx = useTestServer({ blob: 's3', jobs: false, now: () => new Date(pinned ?? Date.now()) });

async function verifiedShot() {
  const d = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
  const image = await makeImage(640, 400, 7);
  const decl = declareShot(image, d.deviceId);
  const client = api(fx.srv.url, d.accessToken);
  const declared = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [decl] });
  const upload = (declared.body.items[0] as Extract<DeclareBatchItem, { status: 'upload' }>).upload;
  expect(upload.headers['Cache-Control']).toBe(OBJECT_CACHE_CONTROL);
  expect((await putBlob(upload, image)).status).toBe(200);
  await client.post('/v1/screenshots/batch/complete', { ids: [decl.id] });
  expect(await processScreenshots(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotIds: [decl.id] })).toEqual(['verified']);
  const [, bucket, ...rest] = new URL(upload.url).pathname.split('/');
  return { decl, bucket: bucket!, key: decodeURIComponent(rest.join('/')) };
}

async function thumbUrl(id: string, day: string): Promise<string> {
  const r = await fx.as('manager').get<TimelineResponse>(`/v1/timeline?userId=${fx.srv.seed.employee.id}&date=${day}&tz=UTC`);
  const shot = r.body.slots.flatMap((s) => s.screenshots).find((s) => s.id === id);
  expect(shot?.thumbUrl).toBeTruthy();
  return shot!.thumbUrl!;
}

describe('objects caches can keep', () => {
  it('stores the screenshot and its thumbnail with Cache-Control, as RGW returns it', async () => {
    const { key, bucket } = await verifiedShot();
    const s3 = inject('s3')!;
    const client = createS3Client({ ...s3, forcePathStyle: true });
    try {
      for (const k of [key, thumbKey(key)]) {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: k }));
        expect(head.CacheControl).toBe(OBJECT_CACHE_CONTROL);
      }
    } finally {
      client.destroy();
    }
  });

  it('hands out the same signed URL within a time bucket and a new one after it; a cached copy never outlives the URL', async () => {
    const { decl } = await verifiedShot();
    const day = decl.takenAt.slice(0, 10);
    // At the start of the current bucket plus a second, then near its end: the same URL.
    const bucketMs = VIEW_URL_BUCKET_SECONDS * 1000;
    const start = Math.floor(Date.now() / bucketMs) * bucketMs;
    let first: string;
    try {
      pinned = start + 1_000;
      first = await thumbUrl(decl.id, day);
      pinned = start + bucketMs - 1_000;
      expect(await thumbUrl(decl.id, day)).toBe(first);
      pinned = start + bucketMs + 1_000;
      expect(await thumbUrl(decl.id, day)).not.toBe(first);
    } finally {
      pinned = null;
    }

    // The first URL as the browser loads it: cacheable, until exactly when the URL expires.
    const url = new URL(first);
    const signedAt = Date.parse(url.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const validFor = Number(url.searchParams.get('X-Amz-Expires'));
    expect(signedAt).toBe(start);
    expect(validFor).toBe(VIEW_URL_SECONDS);
    const res = await fetch(first);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(SIGNED_GET_CACHE_CONTROL);
    expect(Date.parse(res.headers.get('expires')!)).toBe(signedAt + validFor * 1000);
    expect(Date.parse(res.headers.get('expires')!)).toBeLessThanOrEqual(Date.now() + VIEW_URL_SECONDS * 1000);
  });
});
