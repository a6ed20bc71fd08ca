import type { TrackerBridge } from '../bridge/tracker-bridge';
import { createIdleStore } from './idle.store';
import { createManagerStore } from './manager.store';
import { createScreenshotsStore } from './screenshots.store';
import { createSessionStore } from './session.store';
import { createStatusStore } from './status.store';
import { createSyncStore } from './sync.store';
import { createTimerStore } from './timer.store';

/** Every store of the window over one bridge; events keep them live, a reconnect reloads them. */
export function createAppStores(bridge: TrackerBridge, now: () => number = Date.now) {
  const status = createStatusStore(bridge.api, now);
  const stores = {
    status,
    timer: createTimerStore(bridge.api, status),
    screenshots: createScreenshotsStore(bridge.api),
    idle: createIdleStore(bridge.api, status),
    session: createSessionStore(bridge.api),
    sync: createSyncStore(bridge.api),
    // Loaded when the manager view opens (only a managing role sees it), not with the rest.
    manager: createManagerStore(bridge.api, { tz: Intl.DateTimeFormat().resolvedOptions().timeZone, now }),
  };
  const reloadAll = () =>
    Promise.all([
      stores.status.getState().load(),
      stores.timer.getState().loadProjects(),
      stores.screenshots.getState().load(),
      stores.idle.getState().load(),
      stores.session.getState().load(),
      stores.sync.getState().load(),
    ]);
  // Signing in, enrolling or out changes the projects there are to pick from.
  stores.session.subscribe((s, prev) => {
    if (prev.session !== null && s.session !== prev.session) void stores.timer.getState().loadProjects();
  });
  // The first load does not wait for the event stream to open (a round trip more before the first
  // screen has its data); the stream's 'up' loads again, so nothing sent before it is missed.
  const start = () => {
    void reloadAll();
    return subscribe();
  };
  const subscribe = () =>
    bridge.subscribe(
      (e) => {
        stores.status.getState().apply(e);
        if (e.type === 'capture') void Promise.all([stores.screenshots.getState().load(), stores.status.getState().load()]); // the queue and the review count grew
        // An upload finished or failed: the list shows each screenshot's own state.
        if (e.type === 'sync-progress' && stores.screenshots.getState().shots?.some((s) => s.state !== 'done')) void stores.screenshots.getState().load();
        if (e.type === 'idle') void stores.idle.getState().load();
        if (e.type === 'status' && e.status.pendingIdle && stores.idle.getState().pending.length === 0) void stores.idle.getState().load();
        if (e.type === 'status' && e.status.queue.dead !== (stores.sync.getState().dead?.length ?? 0)) void stores.sync.getState().load();
      },
      (c) => {
        stores.status.getState().setConnection(c);
        if (c === 'up') void reloadAll();
      },
    );
  return { ...stores, start, reloadAll };
}
export type AppStores = ReturnType<typeof createAppStores>;
