import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROBLEM_CONTENT_TYPE } from '../src/shared/problem';
import { useTestServer } from './test-support/fixture';
import { scratchDir, writeUpdateBuild } from './test-support/update-build';
import { PublishRefused, publishUpdate } from './updates/publish-update';

/** A GET with the path exactly as given (fetch would normalise "/../"). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      })
      .on('error', reject);
  });
}

describe.each(['fs', 's3'] as const)('the update feed on the %s blob store', (driver) => {
  const fx = useTestServer({ blob: driver, jobs: false });
  const dirs: Array<ReturnType<typeof scratchDir>> = [];
  const folder = () => {
    const d = scratchDir('stint-release-');
    dirs.push(d);
    return d.path;
  };
  afterAll(() => dirs.forEach((d) => d.remove()));

  it('serves a published latest-linux.yml (short cache) and its artefact (a signed store URL) with the sha512 the yml names', async () => {
    const build = writeUpdateBuild(folder());
    const report = await publishUpdate(fx.srv.blobs, build.dir, 'stable');
    expect(report.versions).toEqual({ 'latest-linux.yml': '0.2.0' });
    // Artefacts first, the yml last: a device never reads a yml whose artefact is missing.
    expect(report.uploaded).toEqual([build.artefact, `${build.artefact}.blockmap`, 'latest-linux.yml']);

    const yml = await fetch(`${fx.srv.url}/updates/stable/latest-linux.yml`);
    expect(yml.status).toBe(200);
    expect(yml.headers.get('cache-control')).toBe('public, max-age=60');
    expect(yml.headers.get('content-type')).toMatch(/^text\/yaml/);
    const info = parse(await yml.text()) as { version: string; files: Array<{ url: string; sha512: string }> };
    expect(info.version).toBe('0.2.0');
    expect(info.files[0]).toMatchObject({ url: build.artefact, sha512: build.sha512 });

    const redirect = await fetch(`${fx.srv.url}/updates/stable/${build.artefact}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const bytes = await fetch(redirect.headers.get('location')!);
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('cache-control')).toMatch(/immutable/);
    expect(createHash('sha512').update(Buffer.from(await bytes.arrayBuffer())).digest('base64')).toBe(info.files[0]!.sha512);
  });

  it('refuses traversal, unknown channels and names that are no feed file, as problem+json', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/updates/stable/..%2F..%2Fetc%2Fpasswd', 400, /not a file name of the update feed/],
      ['/updates/stable/..%2Fsecret', 400, /not a file name/],
      ['/updates/stable/../../../etc/passwd', 400, /\/updates\/<channel>\/<file>/],
      ['/updates/stable/a/latest.yml', 400, /\/updates\/<channel>\/<file>/],
      ['/updates/%2e%2e/latest.yml', 404, /unknown update channel/],
      ['/updates/nightly/latest.yml', 404, /unknown update channel "nightly": this server publishes stable, beta/],
      ['/updates/stable/server.key', 400, /neither a latest\*\.yml nor an installer/],
      ['/updates/beta/latest-linux.yml', 404, /nothing published as latest-linux\.yml on the beta channel/],
    ];
    for (const [p, status, detail] of cases) {
      const res = await rawGet(fx.srv.url, p);
      expect([p, res.status]).toEqual([p, status]);
      expect(res.type).toContain(PROBLEM_CONTENT_TYPE);
      expect((JSON.parse(res.body) as { detail: string }).detail, p).toMatch(detail);
    }
  });

  it('publish-update refuses a folder whose artefact does not match its sha512, and uploads nothing', async () => {
    const build = writeUpdateBuild(folder(), '0.3.0');
    writeFileSync(path.join(build.dir, build.artefact), Buffer.concat([build.bytes.subarray(0, -1), Buffer.from([build.bytes.at(-1)! ^ 1])]));
    const refused = await publishUpdate(fx.srv.blobs, build.dir, 'beta').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PublishRefused);
    expect((refused as PublishRefused).reasons).toEqual([expect.stringMatching(new RegExp(`latest-linux\\.yml: sha512 mismatch for ${build.artefact.replaceAll('.', '\\.')}`))]);
    expect((await fetch(`${fx.srv.url}/updates/beta/latest-linux.yml`)).status).toBe(404);
    expect((await fetch(`${fx.srv.url}/updates/beta/${build.artefact}`, { redirect: 'manual' })).status).toBe(404);
  });

  it('publish-update keeps pre-release versions off stable (beta takes them)', async () => {
    const build = writeUpdateBuild(folder(), '0.5.0-beta.1');
    const refused = (await publishUpdate(fx.srv.blobs, build.dir, 'stable').catch((e: unknown) => e)) as PublishRefused;
    expect(refused.reasons).toEqual(['latest-linux.yml: version 0.5.0-beta.1 is a pre-release: publish it on beta, not stable']);
    expect((await publishUpdate(fx.srv.blobs, build.dir, 'beta')).versions).toEqual({ 'latest-linux.yml': '0.5.0-beta.1' });
  });

  it('publish-update never replaces a published artefact with other bytes, and accepts the same folder again', async () => {
    const first = writeUpdateBuild(folder(), '0.4.0');
    await publishUpdate(fx.srv.blobs, first.dir, 'stable');
    expect((await publishUpdate(fx.srv.blobs, first.dir, 'stable')).unchanged).toEqual([first.artefact, `${first.artefact}.blockmap`]);
    const rebuilt = writeUpdateBuild(folder(), '0.4.0');
    const refused = (await publishUpdate(fx.srv.blobs, rebuilt.dir, 'stable').catch((e: unknown) => e)) as PublishRefused;
    expect(refused.reasons).toContain(`${first.artefact} is already published on stable with other bytes: a published artefact is never replaced (build a new version)`);
    const served = await fetch(`${fx.srv.url}/updates/stable/${first.artefact}`);
    expect(createHash('sha512').update(Buffer.from(await served.arrayBuffer())).digest('base64')).toBe(first.sha512);
  });
});
