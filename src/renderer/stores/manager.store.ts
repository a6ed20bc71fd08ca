import { createStore } from 'zustand/vanilla';
import type { TrackerApi, TrackerOutput } from '../../shared/tracker-api';
import { addDays, dateIn } from '../../shared/rules/zoned-day';
import { describeError } from './errors';

export type Member = TrackerOutput<'manager.members'>['users'][number];
export type ManagerDay = TrackerOutput<'manager.timeline'>;
export type Totals = TrackerOutput<'manager.totals'>;
export type TeamNow = TrackerOutput<'manager.now'>['members'];
export type DayShot = ManagerDay['slots'][number]['screenshots'][number] & { slotLabel: string };

type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: string };

export interface ExportState {
  busy: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
  done: { filename: string; rows: number } | null;
}

export interface ManagerState {
  /** The viewer's IANA zone: slots and days are on their wall clock. */
  tz: string;
  members: Loadable<Member[]>;
  memberId: string | null;
  date: string;
  day: Loadable<ManagerDay> | null;
  totals: Loadable<Totals> | null;
  now: Loadable<TeamNow>;
  /** The full-size image open in the lightbox: its place among the day's screenshots and its signed URL. */
  lightbox: { index: number; url: string | null; error: string | null } | null;
  exported: ExportState;
  /** Loads the team, who is tracking, and the chosen member's day and totals, all at once. */
  open(memberId: string | null): Promise<void>;
  pick(memberId: string): Promise<void>;
  setDate(date: string): Promise<void>;
  shiftDay(days: number): Promise<void>;
  goToday(): Promise<void>;
  reloadDay(): Promise<void>;
  refreshNow(): Promise<void>;
  openShot(index: number): Promise<void>;
  moveShot(step: number): Promise<void>;
  closeShot(): void;
  exportCsv(range: { from: string; to: string; groupBy: 'day' | 'project' | 'user'; onlyMember: boolean }, save: (filename: string, csv: string) => void): Promise<void>;
}

/** Every screenshot of the day in slot order, each with its slot's label (the lightbox walks this list). */
export const dayShots = (day: ManagerDay): DayShot[] => day.slots.flatMap((s) => s.screenshots.map((shot) => ({ ...shot, slotLabel: s.label })));

export const todayIn = (tz: string, now: number) => dateIn(tz, now);

const REMEMBER = 'stint.manager.member';
/** The member the Team page opens on: the one a link names (?member=<id>), else the one looked at last. */
export const rememberedMember = (): string | null => new URLSearchParams(location.search).get('member') ?? localStorage.getItem(REMEMBER);
export const rememberMember = (memberId: string) => localStorage.setItem(REMEMBER, memberId);

const fail = (err: unknown) => ({ state: 'error' as const, error: describeError(err).message });

export function createManagerStore(api: TrackerApi, o: { tz: string; now?: () => number }) {
  const now = o.now ?? Date.now;
  let dayRequest = 0;
  return createStore<ManagerState>()((set, get) => {
    /** The member's day and its totals, in parallel; an answer for a day no longer shown is dropped. */
    const loadDay = async () => {
      const { memberId, date, tz } = get();
      if (!memberId) return set({ day: null, totals: null });
      const ticket = ++dayRequest;
      set({ day: { state: 'loading' }, totals: { state: 'loading' }, lightbox: null });
      const input = { userId: memberId, date, tz };
      await Promise.all([
        api['manager.timeline'](input).then(
          (value) => ticket === dayRequest && set({ day: { state: 'ready', value } }),
          (err: unknown) => ticket === dayRequest && set({ day: fail(err) }),
        ),
        api['manager.totals'](input).then(
          (value) => ticket === dayRequest && set({ totals: { state: 'ready', value } }),
          (err: unknown) => ticket === dayRequest && set({ totals: fail(err) }),
        ),
      ]);
    };
    const loadMembers = () =>
      api['manager.members']({}).then(
        ({ users }) => {
          const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
          set({ members: { state: 'ready', value: sorted } });
          // No member chosen (or one no longer visible): the first of the team.
          const chosen = get().memberId;
          if (!chosen || !sorted.some((u) => u.id === chosen)) {
            const first = sorted[0]?.id ?? null;
            set({ memberId: first });
            if (first) return loadDay();
          }
          return undefined;
        },
        (err: unknown) => set({ members: fail(err) }),
      );
    const loadNow = () =>
      api['manager.now']({}).then(
        ({ members }) => set({ now: { state: 'ready', value: members } }),
        (err: unknown) => set({ now: fail(err) }),
      );
    const showShot = async (index: number) => {
      const day = get().day;
      if (day?.state !== 'ready') return;
      const shots = dayShots(day.value);
      const shot = shots[index];
      if (!shot) return;
      set({ lightbox: { index, url: null, error: null } });
      try {
        const { url } = await api['manager.fullImage']({ screenshotId: shot.id, fullUrl: shot.fullUrl });
        if (get().lightbox?.index === index) set({ lightbox: { index, url, error: null } });
      } catch (err) {
        if (get().lightbox?.index === index) set({ lightbox: { index, url: null, error: describeError(err).message } });
      }
    };
    return {
      tz: o.tz,
      members: { state: 'loading' },
      memberId: null,
      date: todayIn(o.tz, now()),
      day: null,
      totals: null,
      now: { state: 'loading' },
      lightbox: null,
      exported: { busy: false, error: null, fieldErrors: {}, done: null },
      async open(memberId) {
        set({ memberId, members: { state: 'loading' }, now: { state: 'loading' } });
        // The remembered member's day does not wait for the team list: four reads at once.
        await Promise.all([loadMembers(), loadNow(), memberId ? loadDay() : Promise.resolve()]);
      },
      async pick(memberId) {
        if (memberId === get().memberId) return;
        set({ memberId });
        await loadDay();
      },
      async setDate(date) {
        const today = todayIn(get().tz, now());
        set({ date: date > today ? today : date });
        await loadDay();
      },
      shiftDay: (days) => get().setDate(addDays(get().date, days)),
      goToday: () => get().setDate(todayIn(get().tz, now())),
      reloadDay: loadDay,
      refreshNow: loadNow,
      openShot: showShot,
      async moveShot(step) {
        const { lightbox, day } = get();
        if (!lightbox || day?.state !== 'ready') return;
        const next = lightbox.index + step;
        if (next < 0 || next >= dayShots(day.value).length) return;
        await showShot(next);
      },
      closeShot() {
        set({ lightbox: null });
      },
      async exportCsv({ from, to, groupBy, onlyMember }, save) {
        const memberId = get().memberId;
        set({ exported: { busy: true, error: null, fieldErrors: {}, done: null } });
        try {
          const out = await api['manager.exportCsv']({ from, to, tz: get().tz, groupBy, ...(onlyMember && memberId ? { userId: memberId } : {}) });
          save(out.filename, out.csv);
          set({ exported: { busy: false, error: null, fieldErrors: {}, done: { filename: out.filename, rows: out.rows } } });
        } catch (err) {
          const { message, fields } = describeError(err);
          set({ exported: { busy: false, error: Object.keys(fields).length ? null : message, fieldErrors: fields, done: null } });
        }
      },
    };
  });
}
export type ManagerStore = ReturnType<typeof createManagerStore>;
