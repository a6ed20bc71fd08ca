import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerOutput } from '../../shared/tracker-api';
import { describeError } from './errors';

export type DeadLetter = TrackerOutput<'sync.deadLetters'>[number];

export interface SyncState {
  dead: DeadLetter[] | null;
  error: string | null;
  retrying: boolean;
  load(): Promise<void>;
  retry(id?: string): Promise<void>;
}

export function createSyncStore(api: TrackerApi) {
  return createStore<SyncState>()((set, get) => ({
    dead: null,
    error: null,
    retrying: false,
    async load() {
      try {
        set({ dead: await api['sync.deadLetters']({}), error: null });
      } catch (err) {
        set({ error: describeError(err).message });
      }
    },
    async retry(id) {
      set({ retrying: true, error: null });
      try {
        await api['sync.retry'](id ? { id } : {});
        await get().load();
      } catch (err) {
        set({ error: describeError(err).message });
      } finally {
        set({ retrying: false });
      }
    },
  }));
}
