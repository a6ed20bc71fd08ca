/**
 * What the updater does next, decided without Electron (the adapter, updater.ts, only carries
 * these decisions out with electron-updater). The way of one update:
 *   check (at start-up + every few hours) → download in the background (electron-updater checks
 *   the sha512 of latest*.yml, and on Windows the publisher's signature) → staged → applied when
 *   Stint quits, or when the person chooses "Restart to update". While the timer runs it is never
 *   applied without asking: the person is asked to stop the timer first. A failed or corrupt
 *   download is dropped: the running version goes on, nothing is staged, and the next check
 *   comes after a backoff. Nothing here touches the outbox; the updater's cache must lie outside
 *   the data dir (cacheIsApart).
 */

export type UpdatePhase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'up-to-date'; version: string | null }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'staged'; version: string }
  | { kind: 'failed'; reason: string };

export interface UpdateState {
  phase: UpdatePhase;
  /** When the last check started (ms), null before the first. */
  lastCheckAt: number | null;
  /** Failures in a row (a success resets it): the backoff grows with it. */
  failures: number;
  /** The person chose "Restart to update" (and, while tracking, agreed to stop the timer). */
  installRequested: boolean;
}

export type UpdateEvent =
  | { type: 'check-started' }
  | { type: 'available'; version: string }
  | { type: 'not-available'; version?: string | null }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string }
  | { type: 'install-requested' };

export interface UpdateTiming {
  /** First check this long after start-up (the app's start is not slowed by it). */
  firstCheckMs: number;
  /** Between checks when all is well. */
  everyMs: number;
  /** After a failure: retryMs × 2^(failures−1), at most everyMs. */
  retryMs: number;
}

export const UPDATE_TIMING: UpdateTiming = { firstCheckMs: 30_000, everyMs: 4 * 3600_000, retryMs: 15 * 60_000 };

export const initialUpdateState = (): UpdateState => ({ phase: { kind: 'idle' }, lastCheckAt: null, failures: 0, installRequested: false });

/** The reason a person (and IT, in the log) reads for an updater error. */
export function updateErrorReason(message: string): string {
  if (/sha512 checksum mismatch|checksum mismatch/i.test(message)) return 'the downloaded update was corrupt (sha512 mismatch) and was discarded';
  if (/not signed by the application owner|publisherName|signature/i.test(message)) return 'the downloaded update is not signed by your organisation\'s publisher and was discarded';
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EAI_AGAIN|net::ERR_/i.test(message)) return 'the update server could not be reached';
  if (/\b404\b/.test(message)) return 'nothing is published on this update channel yet';
  return `the update failed: ${message.split('\n')[0]}`;
}

export function reduceUpdate(s: UpdateState, e: UpdateEvent, now: number): UpdateState {
  switch (e.type) {
    case 'check-started':
      // A staged update stays staged while a newer one is looked for.
      return { ...s, lastCheckAt: now, phase: s.phase.kind === 'staged' ? s.phase : { kind: 'checking' } };
    case 'available':
      return { ...s, phase: { kind: 'downloading', version: e.version, percent: 0 } };
    case 'not-available':
      return { ...s, failures: 0, phase: s.phase.kind === 'staged' ? s.phase : { kind: 'up-to-date', version: e.version ?? null } };
    case 'progress':
      return s.phase.kind === 'downloading' ? { ...s, phase: { ...s.phase, percent: Math.max(0, Math.min(100, e.percent)) } } : s;
    case 'downloaded':
      return { ...s, failures: 0, phase: { kind: 'staged', version: e.version } };
    case 'error':
      // electron-updater removes a download it could not verify: nothing is staged any more.
      return { ...s, failures: s.failures + 1, installRequested: false, phase: { kind: 'failed', reason: updateErrorReason(e.message) } };
    case 'install-requested':
      return s.phase.kind === 'staged' ? { ...s, installRequested: true } : s;
  }
}

/** Whether to start a check now (never two at once, never during a download). */
export function shouldCheck(s: UpdateState, now: number, startedAt: number, t: UpdateTiming = UPDATE_TIMING): boolean {
  if (s.phase.kind === 'checking' || s.phase.kind === 'downloading') return false;
  if (s.lastCheckAt === null) return now - startedAt >= t.firstCheckMs;
  const wait = s.phase.kind === 'failed' ? Math.min(t.everyMs, t.retryMs * 2 ** Math.max(0, s.failures - 1)) : t.everyMs;
  return now - s.lastCheckAt >= wait;
}

/** electron-updater's autoInstallOnAppQuit: only a verified, staged update is applied at quit. */
export function installOnQuit(s: UpdateState): boolean {
  return s.phase.kind === 'staged';
}

/** The person asked to update now: apply, ask first (the timer runs), or say there is nothing to apply. */
export function installRequest(s: UpdateState, tracking: boolean): 'apply' | 'ask-to-stop-timer' | 'nothing-staged' {
  if (s.phase.kind !== 'staged') return 'nothing-staged';
  return tracking ? 'ask-to-stop-timer' : 'apply';
}

/** Once the core has stopped at quit (entry closed, outbox flushed): plain quit, or install and start again. */
export function afterCoreStopped(s: UpdateState): 'quit' | 'install-and-restart' {
  return s.installRequested && s.phase.kind === 'staged' ? 'install-and-restart' : 'quit';
}

/** The tray's update line, or null when there is nothing to say. */
export function updateOffer(s: UpdateState, tracking: boolean): { label: string; actionable: boolean } | null {
  switch (s.phase.kind) {
    case 'staged':
      return tracking
        ? { label: `Update ${s.phase.version} ready: applies when you quit`, actionable: true }
        : { label: `Restart to update to ${s.phase.version}`, actionable: true };
    case 'downloading':
      return { label: `Downloading update ${s.phase.version} (${Math.round(s.phase.percent)} %)`, actionable: false };
    case 'failed':
      return { label: `Update: ${s.phase.reason}`, actionable: false };
    default:
      return null;
  }
}

export interface InstallKind {
  packaged: boolean;
  platform: NodeJS.Platform;
  /** $APPIMAGE: the app runs from an AppImage (Linux). */
  appImage: string | undefined;
  /** Windows: the NSIS uninstaller sits beside the executable (an MSI install has none). */
  nsisInstall: boolean;
  /** macOS: this user may replace the app bundle (a PKG/MDM install in /Applications is root's). */
  appWritable: boolean;
}

/**
 * Where updates come from on this install, or why the app does not update itself: installs that
 * IT's tools own (MSI, PKG via MDM, deb/rpm) are updated by those tools, and the app must not lay
 * a second, NSIS- or Squirrel-made copy over them.
 */
export function selfUpdateSupport(p: InstallKind): { ok: true } | { ok: false; reason: string } {
  if (!p.packaged) return { ok: false, reason: 'not a packaged build (the dev layout): no update checks' };
  if (p.platform === 'linux' && !p.appImage) return { ok: false, reason: 'installed from a deb or rpm package: updates come from the package manager (apt, dnf), not the app' };
  if (p.platform === 'win32' && !p.nsisInstall) return { ok: false, reason: 'installed from the MSI: updates come from IT (GPO, Intune, SCCM), not the app' };
  if (p.platform === 'darwin' && !p.appWritable) return { ok: false, reason: 'Stint.app belongs to an administrator (a PKG or MDM install): updates come from IT, not the app' };
  return { ok: true };
}

/**
 * The updater empties its cache folder when a download fails: it must never contain the data dir
 * (outbox, screenshots) nor lie inside it. Paths are compared as given (both absolute).
 */
export function cacheIsApart(cacheDir: string, dataDir: string, sep = '/'): boolean {
  const norm = (p: string) => (p.endsWith(sep) ? p : p + sep);
  return !norm(dataDir).startsWith(norm(cacheDir)) && !norm(cacheDir).startsWith(norm(dataDir));
}
