import { app, dialog } from 'electron';
import { autoUpdater } from 'electron-updater';
import { getAppCacheDir } from 'electron-updater/out/AppAdapter';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { DEFAULT_UPDATE_CHANNEL, updateChannelSchema, updateFeedUrl, type UpdateChannel } from '../../shared/update-channel';
import {
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
} from './update-decisions';

export interface UpdaterOptions {
  /** The Stint server the device syncs with (its feed is <server>/updates/<channel>/), null while signed out. */
  serverUrl(): string | null;
  /** The managed policy's update channel, when it names one. */
  channel(): string | null;
  tracking(): boolean;
  stopTimer(): Promise<void>;
  dataDir: string;
  /** Something the tray's update line shows changed (read it with offer()). */
  onChange(): void;
  /** Quit the app the normal way (main's before-quit stops the core first). */
  quit(): void;
  log(line: string): void;
}

export interface Updater {
  /** The tray's update line now (it depends on whether the timer runs). */
  offer(): { label: string; actionable: boolean } | null;
  /** The tray's "Restart to update": asks first while the timer runs. */
  requestInstall(): Promise<void>;
  /** Called once the core has stopped at quit: true when it took the quit over to install and restart. */
  takeOverQuit(): boolean;
}

/** Stint.app/Contents/MacOS/Stint → Stint.app: may this user replace it? */
function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// electron-builder names the cache folder <package name>-updater (resources/app-update.yml).
const CACHE_DIR = () => join(getAppCacheDir(), 'stint-updater');

/**
 * electron-updater with the generic provider at the organisation's own server, carrying out the
 * decisions of update-decisions.ts: it checks, downloads in the background (autoDownload) and
 * stages; autoInstallOnAppQuit is on only while a verified update is staged; "Restart to update"
 * installs after the core has closed the entry and flushed the outbox.
 */
export function startUpdater(o: UpdaterOptions): Updater | null {
  const support = selfUpdateSupport({
    packaged: app.isPackaged,
    platform: process.platform,
    appImage: process.env.APPIMAGE,
    nsisInstall: existsSync(join(dirname(process.execPath), `Uninstall ${app.getName()}.exe`)),
    appWritable: process.platform !== 'darwin' || canWrite(join(dirname(process.execPath), '../..')),
  });
  if (!support.ok) {
    o.log(`updates: ${support.reason}`);
    return null;
  }
  if (!cacheIsApart(CACHE_DIR(), o.dataDir, sep)) {
    o.log(`updates: off: the updater's cache ${CACHE_DIR()} and the data dir ${o.dataDir} overlap (the updater empties its cache after a failed download)`);
    return null;
  }
  const startedAt = Date.now();
  let state = initialUpdateState();
  const apply = (e: UpdateEvent) => {
    state = reduceUpdate(state, e, Date.now());
    autoUpdater.autoInstallOnAppQuit = installOnQuit(state);
    o.onChange();
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  // The channel is the feed's folder: what IT published there is what the device follows, a
  // pre-release version on beta included (publish-update keeps pre-releases off stable).
  autoUpdater.allowPrerelease = true;
  autoUpdater.logger = { info: (m) => o.log(`updates: ${String(m)}`), warn: (m) => o.log(`updates: ${String(m)}`), error: (m) => o.log(`updates: ${String(m)}`), debug: () => undefined };
  autoUpdater.on('checking-for-update', () => apply({ type: 'check-started' }));
  autoUpdater.on('update-available', (info) => apply({ type: 'available', version: info.version }));
  autoUpdater.on('update-not-available', (info) => apply({ type: 'not-available', version: info.version }));
  autoUpdater.on('download-progress', (p) => apply({ type: 'progress', percent: p.percent }));
  autoUpdater.on('update-downloaded', (info) => {
    o.log(`updates: ${info.version} downloaded and verified (sha512); applies at quit or on "Restart to update"`);
    apply({ type: 'downloaded', version: info.version });
  });
  autoUpdater.on('error', (err) => {
    apply({ type: 'error', message: err.message });
    if (state.phase.kind === 'failed') o.log(`updates: ${state.phase.reason}; the running version goes on`);
  });

  let lastFeed: string | null = null;
  const tick = () => {
    const server = o.serverUrl();
    if (!server || !shouldCheck(state, Date.now(), startedAt)) return;
    const wanted = updateChannelSchema.safeParse(o.channel() ?? DEFAULT_UPDATE_CHANNEL);
    const channel: UpdateChannel = wanted.success ? wanted.data : DEFAULT_UPDATE_CHANNEL;
    if (!wanted.success) o.log(`updates: the policy's update channel "${o.channel()}" is not one the server publishes; following ${channel}`);
    const feed = updateFeedUrl(server, channel);
    if (feed !== lastFeed) {
      autoUpdater.setFeedURL({ provider: 'generic', url: feed });
      lastFeed = feed;
      o.log(`updates: feed ${feed}`);
    }
    // The 'error' event carries the failure into the decisions; the rejection is the same error.
    autoUpdater.checkForUpdates().catch(() => undefined);
  };
  setInterval(tick, 60_000).unref();
  setTimeout(tick, 31_000).unref();

  return {
    offer: () => updateOffer(state, o.tracking()),
    async requestInstall() {
      const next = installRequest(state, o.tracking());
      if (next === 'nothing-staged') return;
      if (next === 'ask-to-stop-timer') {
        const version = state.phase.kind === 'staged' ? state.phase.version : '';
        const { response } = await dialog.showMessageBox({
          type: 'question',
          buttons: ['Stop the timer and update', 'Later'],
          defaultId: 1,
          cancelId: 1,
          message: `Update Stint to ${version} now?`,
          detail: 'The timer is running. Stint stops it (the time so far is kept and synced), closes, updates and starts again. "Later" applies the update when you quit.',
        });
        if (response !== 0) return;
        await o.stopTimer();
      }
      apply({ type: 'install-requested' });
      o.quit();
    },
    takeOverQuit() {
      if (afterCoreStopped(state) !== 'install-and-restart') return false;
      o.log('updates: installing the staged update and starting again');
      autoUpdater.quitAndInstall(true, true);
      return true;
    },
  };
}
