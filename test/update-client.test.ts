import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import path from 'node:path';
import { CancellationToken, HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import { afterAll, describe, expect, it } from 'vitest';
import { initialUpdateState, installOnQuit, reduceUpdate } from '../src/main/updates/update-decisions';
import { updateFeedUrl } from '../src/shared/update-channel';
import { updateKey } from '../server/store/blob/object-keys';
import { useTestServer } from '../server/test-support/fixture';
import { scratchDir, writeUpdateBuild } from '../server/test-support/update-build';
import { publishUpdate } from '../server/updates/publish-update';

/**
 * electron-updater's own HTTP executor over Electron's net module, with node:http as the only
 * stand-in (no Electron binary here): download() is ElectronHttpExecutor.download line for line,
 * so redirects and the sha512 check (builder-util-runtime's DigestTransform) are the library's.
 */
class NodeNetExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return http.request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions & { redirect: string } = { headers: options.headers ?? undefined, redirect: 'manual' };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null }, 0);
    });
  }
}

describe.each(['fs', 's3'] as const)("electron-updater's generic provider against the feed (%s)", (driver) => {
  const fx = useTestServer({ blob: driver, jobs: false });
  const work = scratchDir('stint-updater-');
  afterAll(() => work.remove());
  const executor = new NodeNetExecutor();
  // What GenericProvider reads of its AppUpdater: the channel (null: the feed's latest*.yml) and the cache-busting query.
  const updater = { channel: null, isAddNoCacheQuery: true } as unknown as AppUpdater;
  // The type names ElectronHttpExecutor; the provider calls only HttpExecutor's request(), which this one has.
  const runtime: ProviderRuntimeOptions = { platform: 'linux', executor: executor as unknown as ProviderRuntimeOptions['executor'], isUseMultipleRangeRequest: true };
  const provider = () => new GenericProvider({ provider: 'generic', url: updateFeedUrl(fx.srv.url, 'stable') }, updater, runtime);

  it('finds the published version, downloads it through the redirect and accepts its sha512', async () => {
    const build = writeUpdateBuild(path.join(work.path), '2.0.0');
    await publishUpdate(fx.srv.blobs, build.dir, 'stable');
    const info = await provider().getLatestVersion();
    expect(info.version).toBe('2.0.0');
    const [file] = provider().resolveFiles(info);
    expect(file?.url.pathname).toBe(`/updates/stable/${build.artefact}`);
    const dest = path.join(work.path, `${driver}-download`);
    await executor.download(file!.url, dest, { sha512: file!.info.sha512, cancellationToken: new CancellationToken() });
    expect(createHash('sha512').update(readFileSync(dest)).digest('base64')).toBe(build.sha512);
    const s = reduceUpdate(reduceUpdate(initialUpdateState(), { type: 'available', version: info.version }, 0), { type: 'downloaded', version: info.version }, 0);
    expect(installOnQuit(s)).toBe(true);
  });

  it('a corrupted artefact on the server is rejected by the sha512 check, and the decisions stage nothing', async () => {
    const info = await provider().getLatestVersion();
    const [file] = provider().resolveFiles(info);
    // Bytes changed behind the publisher's back (a tampered store or a broken copy).
    await fx.srv.blobs.put(updateKey('stable', path.basename(file!.url.pathname)), randomBytes(file!.info.size ?? 1024), 'application/octet-stream');
    const failed = await executor
      .download(file!.url, path.join(work.path, `${driver}-corrupt`), { sha512: file!.info.sha512, cancellationToken: new CancellationToken() })
      .then(() => null, (e: Error) => e);
    expect(failed?.message).toMatch(/sha512 checksum mismatch/);
    const s = reduceUpdate(reduceUpdate(initialUpdateState(), { type: 'available', version: info.version }, 0), { type: 'error', message: failed!.message }, 0);
    expect(s.phase).toEqual({ kind: 'failed', reason: 'the downloaded update was corrupt (sha512 mismatch) and was discarded' });
    expect(installOnQuit(s)).toBe(false);
  });

  it('an unpublished channel is electron-updater\'s "channel file not found", which the decisions say in words', async () => {
    const beta = new GenericProvider({ provider: 'generic', url: updateFeedUrl(fx.srv.url, 'beta') }, updater, runtime);
    const err = await beta.getLatestVersion().then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/Cannot find channel "latest-linux.yml"/);
    expect(reduceUpdate(initialUpdateState(), { type: 'error', message: err!.message }, 0).phase).toEqual({ kind: 'failed', reason: 'nothing is published on this update channel yet' });
  });
});
