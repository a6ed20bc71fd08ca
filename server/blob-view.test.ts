import { describe, expect, it } from 'vitest';
import { newId } from '../src/shared/ids';
import { thumbKey, screenshotKey } from './store/blob/object-keys';
import { SIGNED_GET_CACHE_CONTROL } from './store/blob/cache-policy';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();
const thumb = () => thumbKey(screenshotKey({ orgId: fx.srv.seed.orgId, userId: fx.srv.seed.employee.id, screenshotId: newId(), takenAt: new Date(), contentType: 'image/webp' }));

describe('the fs blob store\'s signed GET (the default `npm start` store)', () => {
  it('lets a window on another origin show the image (Cross-Origin-Resource-Policy: cross-origin), cacheable by the viewer until the URL expires', async () => {
    const key = thumb();
    await fx.srv.blobs.put(key, Buffer.from('RIFF....WEBP'), 'image/webp');
    const url = await fx.srv.blobs.presignGet(key, 600, new Date());
    const res = await fetch(url, { headers: { origin: 'http://127.0.0.1:41115' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('cache-control')).toBe(SIGNED_GET_CACHE_CONTROL);
    expect(res.headers.get('expires')).toBeTruthy();
  });

  it('still refuses a URL whose signature does not match, as problem+json', async () => {
    const key = thumb();
    const url = new URL(await fx.srv.blobs.presignGet(key, 600, new Date()));
    url.searchParams.set('signature', 'forged');
    const res = await fetch(url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
