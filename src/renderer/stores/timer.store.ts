import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerOutput } from '../../shared/tracker-api';
import type { StatusStore } from './status.store';
import { describeError } from './errors';

export type Project = TrackerOutput<'projects.list'>[number];

export interface TimerState {
  projects: Project[] | null;
  projectId: string | null;
  taskId: string | null;
  busy: boolean;
  error: string | null;
  loadProjects(): Promise<void>;
  pick(projectId: string | null, taskId?: string | null): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Whole seconds as "1 h 05 min" / "12 min" / "0 min". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** Tracked time in words: under a minute in seconds ("42 s"; nothing is "0 min"), else as formatDuration. */
export const formatTracked = (seconds: number) => (seconds > 0 && seconds < 60 ? `${seconds} s` : formatDuration(seconds));

/** The running clock "H:MM:SS" from the entry's start. */
export function formatElapsed(startedAt: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function createTimerStore(api: TrackerApi, status: StatusStore) {
  return createStore<TimerState>()((set, get) => ({
    projects: null,
    projectId: null,
    taskId: null,
    busy: false,
    error: null,
    async loadProjects() {
      try {
        const projects = await api['projects.list']({});
        const running = status.getState().status?.running;
        // A pick of a project that is gone (another server's, the local one) is dropped.
        const kept = projects.some((p) => p.id === get().projectId) ? get() : { projectId: null, taskId: null };
        set({ projects, error: null, projectId: kept.projectId ?? running?.projectId ?? null, taskId: kept.taskId ?? running?.taskId ?? null });
      } catch (err) {
        set({ error: describeError(err).message });
      }
    },
    pick(projectId, taskId = null) {
      set({ projectId, taskId, error: null });
    },
    async start() {
      const { projectId, taskId } = get();
      if (!projectId) return set({ error: 'Pick a project first' });
      set({ busy: true, error: null });
      try {
        status.getState().apply({ type: 'status', status: await api['timer.start']({ projectId, taskId }) });
      } catch (err) {
        set({ error: describeError(err).message });
      } finally {
        set({ busy: false });
      }
    },
    async stop() {
      set({ busy: true, error: null });
      try {
        status.getState().apply({ type: 'status', status: await api['timer.stop']({}) });
      } catch (err) {
        set({ error: describeError(err).message });
      } finally {
        set({ busy: false });
      }
    },
  }));
}
export type TimerStore = ReturnType<typeof createTimerStore>;
