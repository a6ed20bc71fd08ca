import { describe, expect, it } from 'vitest';
import {
  UPDATE_TIMING,
  afterCoreStopped,
  cacheIsApart,
  initialUpdateState,
  installOnQuit,
  installRequest,
  reduceUpdate,
  selfUpdateSupport,
  shouldCheck,
  updateOffer,
  type UpdateEvent,
  type UpdateState,
} from './update-decisions';

const T0 = Date.parse('2026-12-03T08:00:00Z');
const run = (events: UpdateEvent[], from: UpdateState = initialUpdateState(), at = T0): UpdateState => events.reduce((s, e) => reduceUpdate(s, e, at), from);
const staged = () => run([{ type: 'check-started' }, { type: 'available', version: '1.3.0' }, { type: 'progress', percent: 40 }, { type: 'downloaded', version: '1.3.0' }]);

describe('the updater decides', () => {
  it('check: first 30 s after start-up, then every 4 h; never during a check or a download', () => {
    const s = initialUpdateState();
    expect(shouldCheck(s, T0 + 29_000, T0)).toBe(false);
    expect(shouldCheck(s, T0 + 30_000, T0)).toBe(true);
    const checked = run([{ type: 'check-started' }]);
    expect(shouldCheck(checked, T0 + 10 * 3600_000, T0)).toBe(false);
    const upToDate = run([{ type: 'not-available', version: '1.2.0' }], checked);
    expect(upToDate.phase).toEqual({ kind: 'up-to-date', version: '1.2.0' });
    expect(shouldCheck(upToDate, T0 + UPDATE_TIMING.everyMs - 1, T0)).toBe(false);
    expect(shouldCheck(upToDate, T0 + UPDATE_TIMING.everyMs, T0)).toBe(true);
    const downloading = run([{ type: 'available', version: '1.3.0' }], checked);
    expect(shouldCheck(downloading, T0 + 10 * 3600_000, T0)).toBe(false);
  });

  it('download in the background: an available version downloads, its progress shows in the tray, not clickable', () => {
    const s = run([{ type: 'check-started' }, { type: 'available', version: '1.3.0' }, { type: 'progress', percent: 42.4 }]);
    expect(s.phase).toEqual({ kind: 'downloading', version: '1.3.0', percent: 42.4 });
    expect(updateOffer(s, false)).toEqual({ label: 'Downloading update 1.3.0 (42 %)', actionable: false });
    expect(installOnQuit(s)).toBe(false);
  });

  it('stage: a verified download is staged and is what quitting applies', () => {
    const s = staged();
    expect(s.phase).toEqual({ kind: 'staged', version: '1.3.0' });
    expect(installOnQuit(s)).toBe(true);
    // A later check keeps it staged, whatever it finds.
    expect(run([{ type: 'check-started' }, { type: 'not-available' }], s).phase).toEqual({ kind: 'staged', version: '1.3.0' });
  });

  it('defer while tracking: never applied without asking; the tray says it applies at quit', () => {
    const s = staged();
    expect(installRequest(s, true)).toBe('ask-to-stop-timer');
    expect(updateOffer(s, true)).toEqual({ label: 'Update 1.3.0 ready: applies when you quit', actionable: true });
    // Not chosen: quitting installs silently (autoInstallOnAppQuit) but does not restart on its own.
    expect(afterCoreStopped(s)).toBe('quit');
  });

  it('apply when the person chooses (not tracking): install once the core has stopped, then start again', () => {
    const s = staged();
    expect(updateOffer(s, false)).toEqual({ label: 'Restart to update to 1.3.0', actionable: true });
    expect(installRequest(s, false)).toBe('apply');
    expect(afterCoreStopped(run([{ type: 'install-requested' }], s))).toBe('install-and-restart');
  });

  it('nothing to apply before a download is staged; asking then changes nothing', () => {
    const s = run([{ type: 'check-started' }, { type: 'available', version: '1.3.0' }]);
    expect(installRequest(s, false)).toBe('nothing-staged');
    expect(run([{ type: 'install-requested' }], s).installRequested).toBe(false);
  });

  it('a corrupt download (sha512 mismatch) is rejected: nothing staged, nothing applied at quit, retried after a backoff', () => {
    const s = run([
      { type: 'check-started' },
      { type: 'available', version: '1.3.0' },
      { type: 'error', message: 'sha512 checksum mismatch, expected abc, got def' },
    ]);
    expect(s.phase).toEqual({ kind: 'failed', reason: 'the downloaded update was corrupt (sha512 mismatch) and was discarded' });
    expect(installOnQuit(s)).toBe(false);
    expect(afterCoreStopped(s)).toBe('quit');
    expect(updateOffer(s, false)).toEqual({ label: 'Update: the downloaded update was corrupt (sha512 mismatch) and was discarded', actionable: false });
    expect(shouldCheck(s, T0 + UPDATE_TIMING.retryMs - 1, T0)).toBe(false);
    expect(shouldCheck(s, T0 + UPDATE_TIMING.retryMs, T0)).toBe(true);
    const twice = run([{ type: 'check-started' }, { type: 'error', message: 'net::ERR_CONNECTION_REFUSED' }], s);
    expect(twice.failures).toBe(2);
    expect(shouldCheck(twice, T0 + 2 * UPDATE_TIMING.retryMs - 1, T0)).toBe(false);
    expect(shouldCheck(twice, T0 + 2 * UPDATE_TIMING.retryMs, T0)).toBe(true);
    const many = { ...twice, failures: 30 };
    expect(shouldCheck(many, T0 + UPDATE_TIMING.everyMs, T0)).toBe(true);
  });

  it('an error after the person chose to restart cancels that choice (the running version goes on)', () => {
    const chosen = run([{ type: 'install-requested' }], staged());
    const s = run([{ type: 'check-started' }, { type: 'error', message: 'New version 1.4.0 is not signed by the application owner: publisherNames: Acme' }], chosen);
    expect(s.installRequested).toBe(false);
    expect(s.phase).toEqual({ kind: 'failed', reason: "the downloaded update is not signed by your organisation's publisher and was discarded" });
    expect(afterCoreStopped(s)).toBe('quit');
  });

  it.each([
    ['getaddrinfo ENOTFOUND stint.example.com', 'the update server could not be reached'],
    ['HttpError: 404 Not Found "method: GET url: https://s/updates/stable/latest-linux.yml"', 'nothing is published on this update channel yet'],
    ['Error: disk full\n    at stack', 'the update failed: Error: disk full'],
  ])('names the reason of "%s"', (message, reason) => {
    expect(run([{ type: 'error', message }]).phase).toEqual({ kind: 'failed', reason });
  });

  it('only installs the app owns update themselves: not the dev layout, MSI, an admin-owned Stint.app, deb or rpm', () => {
    const kind = { packaged: true, platform: 'win32' as NodeJS.Platform, appImage: undefined, nsisInstall: true, appWritable: true };
    expect(selfUpdateSupport({ ...kind, packaged: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/not a packaged build/) });
    expect(selfUpdateSupport(kind)).toEqual({ ok: true });
    expect(selfUpdateSupport({ ...kind, nsisInstall: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/installed from the MSI: updates come from IT/) });
    expect(selfUpdateSupport({ ...kind, platform: 'darwin' })).toEqual({ ok: true });
    expect(selfUpdateSupport({ ...kind, platform: 'darwin', appWritable: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/PKG or MDM install/) });
    expect(selfUpdateSupport({ ...kind, platform: 'linux' })).toMatchObject({ ok: false, reason: expect.stringMatching(/package manager/) });
    expect(selfUpdateSupport({ ...kind, platform: 'linux', appImage: '/home/a/Stint.AppImage' })).toEqual({ ok: true });
  });

  it('the updater cache, which it empties on a failed download, never holds the data dir nor lies in it', () => {
    expect(cacheIsApart('/home/a/.cache/stint-updater', '/home/a/.config/Stint/data')).toBe(true);
    expect(cacheIsApart('/home/a/.cache', '/home/a/.cache/stint-data')).toBe(false);
    expect(cacheIsApart('/data/stint/updater', '/data/stint')).toBe(false);
    expect(cacheIsApart('/data/stint-updater', '/data/stint')).toBe(true);
  });
});
