import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerInput, TrackerSession } from '../../shared/tracker-api';
import { TrackerError } from '../../shared/tracker-error';
import { describeError } from './errors';

export interface SessionState {
  /** null while loading; 'unknown' when the tracker cannot say (runtime sign-in not available). */
  session: TrackerSession | 'unknown' | null;
  busy: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
  notice: string | null;
  load(): Promise<void>;
  signIn(input: TrackerInput<'session.signIn'>): Promise<void>;
  enroll(input: TrackerInput<'session.enroll'>): Promise<void>;
  signOut(confirm?: boolean): Promise<void>;
}

/** Whether the signed-in role may see the team (the manager view): owners, admins and managers. */
/** An owner or admin of the org: who may see the fleet (the Devices page). */
export function canAdminister(session: SessionState['session']): boolean {
  return session !== null && session !== 'unknown' && session.state === 'signed-in' && (session.role === 'owner' || session.role === 'admin');
}

export function canManage(session: SessionState['session']): boolean {
  return session !== null && session !== 'unknown' && session.state === 'signed-in' && (session.role === 'owner' || session.role === 'admin' || session.role === 'manager');
}

export function createSessionStore(api: TrackerApi) {
  return createStore<SessionState>()((set) => {
    const run = async (what: () => Promise<TrackerSession>) => {
      set({ busy: true, error: null, fieldErrors: {} });
      try {
        set({ session: await what() });
      } catch (err) {
        const { message, fields } = describeError(err);
        set({ error: Object.keys(fields).length ? null : message, fieldErrors: fields });
      } finally {
        set({ busy: false });
      }
    };
    return {
      session: null,
      busy: false,
      error: null,
      fieldErrors: {},
      notice: null,
      async load() {
        try {
          set({ session: await api['session.get']({}), error: null });
        } catch (err) {
          set({ session: 'unknown', notice: err instanceof TrackerError && err.code === 'unavailable' ? err.message : null });
        }
      },
      signIn: (input) => run(() => api['session.signIn'](input)),
      enroll: (input) => run(() => api['session.enroll'](input)),
      signOut: (confirm = false) => run(() => api['session.signOut']({ confirm })),
    };
  });
}
export type SessionStore = ReturnType<typeof createSessionStore>;
