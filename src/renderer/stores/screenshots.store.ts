import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerOutput } from '../../shared/tracker-api';
import { describeError } from './errors';

export type Shot = TrackerOutput<'screenshots.recent'>[number];

export interface ScreenshotsState {
  shots: Shot[] | null;
  error: string | null;
  /** The full-size image open in the dialog. */
  viewing: { id: string; dataUrl: string | null; error: string | null } | null;
  load(): Promise<void>;
  open(id: string): Promise<void>;
  close(): void;
  remove(id: string): Promise<void>;
}

/** Within the grace (or review) window, synced or not: a synced one is deleted on the server and in its blob store too. */
export const canDelete = (s: Shot, now: number) => Date.parse(s.deletableUntil) > now;

export function createScreenshotsStore(api: TrackerApi, limit = 12) {
  return createStore<ScreenshotsState>()((set, get) => ({
    shots: null,
    error: null,
    viewing: null,
    async load() {
      try {
        set({ shots: await api['screenshots.recent']({ limit }), error: null });
      } catch (err) {
        set({ error: describeError(err).message });
      }
    },
    async open(id) {
      set({ viewing: { id, dataUrl: null, error: null } });
      try {
        const image = await api['screenshots.image']({ id });
        if (get().viewing?.id === id) set({ viewing: { id, dataUrl: image.dataUrl, error: null } });
      } catch (err) {
        if (get().viewing?.id === id) set({ viewing: { id, dataUrl: null, error: describeError(err).message } });
      }
    },
    close() {
      set({ viewing: null });
    },
    async remove(id) {
      try {
        await api['screenshots.delete']({ id });
        set({ shots: (get().shots ?? []).filter((s) => s.id !== id), error: null, viewing: get().viewing?.id === id ? null : get().viewing });
      } catch (err) {
        set({ error: describeError(err).message });
      }
    },
  }));
}
export type ScreenshotsStore = ReturnType<typeof createScreenshotsStore>;
