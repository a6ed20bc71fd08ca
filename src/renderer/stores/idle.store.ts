import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerOutput } from '../../shared/tracker-api';
import type { StatusStore } from './status.store';
import { describeError } from './errors';

export type IdleSpan = TrackerOutput<'idle.pending'>[number];
export type IdleDecision = { decision: 'keep' | 'discard' } | { decision: 'assign'; projectId: string; taskId?: string | null };

export interface IdleState {
  pending: IdleSpan[];
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  decide(d: IdleDecision): Promise<void>;
}

/** Idle minutes of a span, up to now when still open. */
export function idleMinutes(span: IdleSpan, now: number): number {
  return Math.max(0, Math.round(((span.endedAt ? Date.parse(span.endedAt) : now) - Date.parse(span.startedAt)) / 60_000));
}

export function createIdleStore(api: TrackerApi, status: StatusStore) {
  return createStore<IdleState>()((set, get) => ({
    pending: [],
    busy: false,
    error: null,
    async load() {
      try {
        set({ pending: await api['idle.pending']({}), error: null });
      } catch (err) {
        set({ error: describeError(err).message });
      }
    },
    async decide(d) {
      const span = get().pending[0];
      if (!span) return;
      set({ busy: true, error: null });
      try {
        const input = d.decision === 'assign' ? { spanId: span.id, decision: d.decision, projectId: d.projectId, taskId: d.taskId ?? null } : { spanId: span.id, decision: d.decision };
        status.getState().apply({ type: 'status', status: await api['idle.decide'](input) });
        set({ pending: get().pending.filter((s) => s.id !== span.id) });
      } catch (err) {
        set({ error: describeError(err).message });
      } finally {
        set({ busy: false });
      }
    },
  }));
}
export type IdleStore = ReturnType<typeof createIdleStore>;
