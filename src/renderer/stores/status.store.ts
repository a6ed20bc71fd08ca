import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerEvent, TrackerStatus } from '../../shared/tracker-api';
import type { Connection } from '../bridge/tracker-bridge';
import { describeError } from './errors';

export interface StatusState {
  status: TrackerStatus | null;
  connection: Connection;
  error: string | null;
  /** When the sync state first turned offline (epoch ms), kept while it stays offline. */
  offlineSince: number | null;
  /** When the last capture event arrived, for the capture indicator. */
  lastCaptureAt: number | null;
  /** When the current status arrived, so totals can tick on between events. */
  receivedAt: number;
  load(): Promise<void>;
  apply(e: TrackerEvent): void;
  setConnection(c: Connection): void;
}

export function createStatusStore(api: TrackerApi, now: () => number = Date.now) {
  return createStore<StatusState>()((set, get) => {
    const take = (status: TrackerStatus) => {
      const wasOffline = get().offlineSince;
      const offline = status.sync.state === 'offline';
      set({ status, receivedAt: now(), error: null, offlineSince: offline ? (wasOffline ?? now()) : null });
    };
    return {
      status: null,
      connection: 'connecting',
      error: null,
      offlineSince: null,
      lastCaptureAt: null,
      receivedAt: 0,
      async load() {
        try {
          take(await api['status.get']({}));
        } catch (err) {
          set({ error: describeError(err).message });
        }
      },
      apply(e) {
        if (e.type === 'status') take(e.status);
        else if (e.type === 'capture') set({ lastCaptureAt: now() });
      },
      setConnection(connection) {
        set({ connection });
      },
    };
  });
}
export type StatusStore = ReturnType<typeof createStatusStore>;
