import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CreateScreenshotResponse, ScreenshotView } from '../src/shared/http/screenshots';
import { api, declareShot, enrollDevice, eventually, login, makeImage, putBlob } from './test-support/api';
import { useTestServer } from './test-support/fixture';

/** Every query value of a URL that is a credential (signatures, S3 credentials and security tokens). */
function urlSecrets(url: string): string[] {
  const u = new URL(url);
  return [...u.searchParams.entries()].filter(([k]) => /signature|credential|token/i.test(k)).map(([, v]) => v);
}

/**
 * A real run of the server (sign-in, refresh, device enrollment, upload, full-size redirect) with
 * its request log captured: nothing it handed out as a credential may be in that log.
 */
describe.each(['fs', 's3'] as const)('the request log of a real run (%s driver)', (driver) => {
  const lines: string[] = [];
  const fx = useTestServer({ blob: driver, logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }) });

  it('holds no token, refresh token, device token, URL signature or redirect Location it handed out', async () => {
    const url = fx.srv.url;
    const secrets: string[] = [];
    const signIn = await login(url, fx.srv.seed.manager.email, fx.srv.seed.manager.password);
    secrets.push(signIn.accessToken, signIn.refreshToken);
    const refreshed = await api(url).post<{ accessToken: string; refreshToken: string }>('/v1/auth/refresh', { refreshToken: signIn.refreshToken });
    expect(refreshed.status).toBe(200);
    secrets.push(refreshed.body.accessToken, refreshed.body.refreshToken);

    const enrollmentToken = await fx.srv.seed.enrollmentToken();
    const device = await enrollDevice(url, enrollmentToken);
    secrets.push(enrollmentToken, device.deviceToken, device.accessToken);
    const image = await makeImage(160, 100, 5);
    const decl = declareShot(image, device.deviceId, { width: 160, height: 100 });
    const created = await api(url, device.accessToken).post<CreateScreenshotResponse>('/v1/screenshots', decl);
    if (created.body.status !== 'upload') throw new Error(`declare failed: ${created.status}`);
    secrets.push(...urlSecrets(created.body.upload.url));
    expect((await putBlob(created.body.upload, image)).status).toBe(200);
    expect((await api(url, device.accessToken).post(`/v1/screenshots/${decl.id}/complete`)).status).toBe(200);

    const manager = api(url, refreshed.body.accessToken);
    const view = await eventually(async () => {
      const r = await manager.get<ScreenshotView>(`/v1/screenshots/${decl.id}`);
      return r.status === 200 && r.body.thumbUrl ? r.body : null;
    });
    secrets.push(...urlSecrets(view.fullUrl), ...urlSecrets(view.thumbUrl ?? ''));
    expect((await fetch(view.thumbUrl ?? '')).status).toBe(200);
    const full = await fetch(view.fullUrl, { redirect: 'manual' });
    expect(full.status).toBe(302);
    const location = full.headers.get('location') ?? '';
    secrets.push(location, ...urlSecrets(location));
    expect((await fetch(location)).status).toBe(200);

    expect(secrets.filter((s) => s.length < 16)).toEqual([]);
    const log = lines.join('');
    expect(log).toContain(`/v1/screenshots/${decl.id}/full`);
    expect(log).toContain('"statusCode":302');
    const leaked = secrets.filter((s) => log.includes(s) || log.includes(encodeURIComponent(s)));
    expect(leaked).toEqual([]);
    expect(log).not.toMatch(/"location"|"authorization"|set-cookie/i);
  });
});
