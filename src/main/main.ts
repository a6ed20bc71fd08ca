/**
 * The Electron shell: single instance, tray, one window, and the tracker core in a
 * utilityProcess. Main only relays: renderer IPC → validated → core over its MessagePort.
 */
import { app, ipcMain, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { trackerMethods, type TrackerEvent, type TrackerStatus } from '../shared/tracker-api';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { appPaths } from './app-paths';
import { electronLoginItem, loginItemEnv } from './autostart';
import { startCoreHost, type CoreHost } from './core-host';
import { EVENT_CHANNEL, IPC_PREFIX, createIpcRelay } from './ipc-relay';
import { notifyCapture, offerScreenSettings, osIdleMs, screenPermissionProblem, watchOnline, watchPower } from './os-signals';
import { hardenSession } from './security';
import { safeStorageVault } from './safe-storage-vault';
import { shellVaultHost } from './shell-vault-host';
import { createTray } from './tray';
import type { TrayInput } from './tray-model';
import { startUpdater, type Updater } from './updates/updater';
import { createMainWindow, showWindow } from './window';

const log = (line: string) => console.log(`${new Date().toISOString()} main: ${line}`);
const here = __dirname;
const paths = appPaths(here, app.isPackaged, process.env);

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  // A second launch only wakes the first one (its 'second-instance' shows the window).
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let core: CoreHost | null = null;
  let quitting = false;
  let stopped = false;
  let online = () => true;
  const view: Omit<TrayInput, 'online'> & { coreProblem: string | null; permission: string | null; imageOrigins: string[]; serverUrl: string | null; updateChannel: string | null } = {
    status: null,
    session: null,
    projectName: null,
    problem: null,
    coreProblem: null,
    permission: null,
    imageOrigins: [],
    serverUrl: null,
    updateChannel: null,
  };
  let updater: Updater | null = null;
  let policyNotice = false;
  let tray: ReturnType<typeof createTray> | null = null;
  const redraw = () => tray?.render({ ...view, problem: view.coreProblem ?? view.permission, online: online(), update: updater?.offer() ?? null });
  const refresh = async () => {
    const api = core?.api();
    if (!api) return redraw();
    try {
      const [status, sessionNow, projects, settings] = await Promise.all([api['status.get']({}), api['session.get']({}), api['projects.list']({}), api['settings.get']({})]);
      const signedIn = sessionNow.state === 'signed-in' ? sessionNow : null;
      Object.assign(view, { status, session: sessionNow, serverUrl: signedIn?.serverUrl ?? null, imageOrigins: signedIn?.imageOrigins ?? [] });
      // The managed policy file's update channel (IT's), else the updater's default.
      view.updateChannel = settings.managed?.updateChannel ?? null;
      const chosen = status.running?.projectId ?? projects[0]?.id;
      view.projectName = projects.find((p) => p.id === chosen)?.name ?? null;
      policyNotice = settings.policy.screenshotDeleteGraceSeconds > 0 || settings.policy.reviewMinutes > 0;
    } catch (err) {
      log(`tray refresh failed: ${(err as Error).message}`);
    }
    redraw();
  };
  // Status events are frequent: they redraw the tray from the event itself; names, session and
  // policy are read again when the core (re)starts and once a minute.
  const onEvent = (e: TrackerEvent) => {
    if (e.type === 'status') {
      const wasRunning = view.status?.running?.projectId;
      view.status = e.status as TrackerStatus;
      if (e.status.running?.projectId !== wasRunning) void refresh();
      else redraw();
    }
    notifyCapture(e, () => policyNotice);
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e);
  };
  setInterval(() => void refresh(), 60_000).unref();

  app.on('second-instance', () => showWindow(win));
  app.on('window-all-closed', () => undefined); // a tray app stays when its window is closed

  app.on('before-quit', (event) => {
    if (stopped || !core) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    log('quitting: closing the running entry and flushing the outbox');
    void core.stop().finally(() => {
      stopped = true;
      tray?.destroy();
      // The entry is closed and the outbox flushed: a chosen update installs and restarts now.
      if (updater?.takeOverQuit()) return;
      app.quit();
    });
  });

  void app.whenReady().then(async () => {
    serveRenderer(paths.renderer, () => view.imageOrigins);
    hardenSession(session.defaultSession);
    const dataDir = process.env.STINT_DATA_DIR ?? join(app.getPath('userData'), 'data');
    const secure = safeStorageVault();
    if (!secure) log('the OS offers no keychain to safeStorage: credentials stay in owner-only files, as the agent keeps them');
    core = startCoreHost({
      entry: paths.core,
      dataDir,
      vault: secure ? shellVaultHost(dataDir, secure, log) : null,
      idleMs: osIdleMs,
      loginItem: electronLoginItem,
      loginItemEnv: loginItemEnv(),
      onEvent,
      onHealth: (problem) => {
        if (!problem) log('tracker core ready');
        view.coreProblem = problem;
        void refresh();
      },
      log,
    });
    const relay = createIpcRelay(() => core?.api() ?? null);
    for (const m of trackerMethods) ipcMain.handle(`${IPC_PREFIX}${m}`, (event, input: unknown) => relay(m, event, input));
    tray = createTray(join(here, '../icons'), {
      open: () => showWindow(win),
      quit: () => app.quit(),
      toggle: () => void toggleTimer(),
      update: () => void updater?.requestInstall(),
    });
    updater = startUpdater({
      serverUrl: () => view.serverUrl,
      channel: () => view.updateChannel,
      tracking: () => Boolean(view.status?.running),
      stopTimer: async () => void (await core?.api()?.['timer.stop']({})),
      dataDir,
      onChange: redraw,
      quit: () => app.quit(),
      log,
    });
    watchPower((s) => core?.signal(s));
    online = watchOnline((s) => {
      core?.signal(s);
      redraw();
    });
    view.permission = screenPermissionProblem();
    core.signal({ type: 'capture-blocked', reason: view.permission });
    if (view.permission) void offerScreenSettings(view.permission);
    win = createMainWindow(join(here, '../preload/preload.cjs'), () => quitting);
    if (!process.argv.includes('--hidden')) win.once('ready-to-show', () => showWindow(win));
    redraw();
  });

  async function toggleTimer() {
    const api = core?.api();
    if (!api || !view.status) return;
    try {
      if (view.status.running) await api['timer.stop']({});
      else {
        const [first] = await api['projects.list']({});
        if (first) await api['timer.start']({ projectId: first.id });
      }
    } catch (err) {
      log(`tray start/stop failed: ${(err as Error).message}`);
    }
    await refresh();
  }
}
