import { createHash } from 'node:crypto';
import type { SyncOp } from '../../src/shared/http/push';
import { clockOf, DESKTOP_TITLES, type DesktopApp, type DesktopLook, type DesktopShot } from './scene';
import { pick, seededRandom } from './seeded-random';
import { addDays, dateIn, zonedDayStart } from '../../src/shared/rules/zoned-day';

/**
 * The demo's generated history as a plan: for each member and working day, the time entries,
 * the activity minutes and the screenshots a device would have sent. Pure and deterministic: the
 * same input gives the same ids, so sending a plan twice (or after an interruption) changes
 * nothing on the server, which upserts by id.
 */
export interface PlanProject {
  id: string;
  name: string;
  tasks: ReadonlyArray<{ id: string; name: string }>;
}

export interface PlanMember {
  userId: string;
  name: string;
}

export interface PlanInput {
  /** Nothing is planned at or after this instant (the first start's time). */
  until: Date;
  /** Working days (Monday to Friday in `tz`) before the day of `until`, and that day up to `until` if it is one. */
  days: number;
  /** The IANA zone the team works in: its days, working hours and the desktops' clocks are on that wall clock. */
  tz: string;
  members: readonly PlanMember[];
  projects: readonly PlanProject[];
  screenshotsPerSlot: number;
  /** Window titles go into the activity only where the org's policy records them. */
  recordWindowTitles: boolean;
}

export interface PlannedShot {
  id: string;
  entryId: string;
  takenAt: Date;
  scene: DesktopShot;
}

/** One member's working day: sent, verified and recorded as done as one piece. */
export interface DayPlan {
  key: string;
  userId: string;
  date: string;
  deviceId: string;
  ops: SyncOp[];
  shots: PlannedShot[];
}

const MINUTE = 60_000;
const SLOT = 10 * MINUTE;

/** A UUIDv7 whose time is `at` and whose random bits come from `label`: the same label, the same id. */
export function demoId(at: number, label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  const ms = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  const variant = ((parseInt(h[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(4, 7)}-${h.slice(7, 19)}`;
}

const LOOKS: ReadonlyArray<Omit<DesktopLook, 'key' | 'owner'>> = [
  { wallpaper: ['#1d4e89', '#7fb2f0'], accent: '#8839ef', dark: true },
  { wallpaper: ['#b24592', '#f15f79'], accent: '#0969da', dark: false },
  { wallpaper: ['#134e5e', '#71b280'], accent: '#d97706', dark: true },
];

/** What each member mostly does: their apps (weighted by repetition) and when they start. */
const PROFILES: ReadonlyArray<{ apps: readonly DesktopApp[]; startMinute: number; energy: number }> = [
  { apps: ['editor', 'editor', 'editor', 'terminal', 'browser', 'chat'], startMinute: 8 * 60 + 30, energy: 0.78 },
  { apps: ['browser', 'browser', 'sheet', 'chat', 'editor'], startMinute: 9 * 60, energy: 0.66 },
  { apps: ['chat', 'chat', 'browser', 'sheet', 'terminal'], startMinute: 9 * 60 + 40, energy: 0.58 },
];

export const APP_NAMES: Record<DesktopApp, string> = { editor: 'Code', browser: 'Firefox', chat: 'Slack', sheet: 'LibreOffice Calc', terminal: 'Terminal' };
export function lookOf(member: PlanMember, index: number): DesktopLook {
  return { ...LOOKS[index % LOOKS.length]!, key: member.userId, owner: member.name };
}

/** Saturday or Sunday, as a calendar date (YYYY-MM-DD), in any zone. */
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

interface Span {
  start: number;
  end: number;
}

/** The day's working spans (timer running), in ms: a morning and an afternoon, with a coffee break in one of them. */
function workSpans(dayStart: number, rnd: () => number, startMinute: number): Span[] {
  const at = (minute: number) => dayStart + Math.round(minute) * MINUTE;
  const start = startMinute + (rnd() - 0.5) * 40;
  const lunch = 12 * 60 + rnd() * 40;
  const back = lunch + 35 + rnd() * 30;
  const end = 17 * 60 + rnd() * 70;
  const spans: Span[] = [];
  const coffee = back + 80 + rnd() * 60;
  spans.push({ start: at(start), end: at(lunch) });
  spans.push({ start: at(back), end: at(coffee) });
  spans.push({ start: at(coffee + 12 + rnd() * 10), end: at(end) });
  return spans;
}

/** Splits a span into entries of 50–150 minutes, each on one project and task. */
function entriesOf(spans: Span[], rnd: () => number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let t = s.start;
    while (t < s.end) {
      const len = (50 + rnd() * 100) * MINUTE;
      const end = s.end - (t + len) < 30 * MINUTE ? s.end : t + Math.round(len / MINUTE) * MINUTE;
      out.push({ start: t, end });
      t = end;
    }
  }
  return out;
}

function planDay(input: PlanInput, member: PlanMember, index: number, date: string): DayPlan | null {
  if (isWeekend(date)) return null;
  const dayStart = zonedDayStart(date, input.tz);
  const rnd = seededRandom(`${member.userId}/${date}`);
  const profile = PROFILES[index % PROFILES.length]!;
  const look = lookOf(member, index);
  const until = input.until.getTime();
  const deviceId = demoId(until - input.days * 86_400_000, `${member.userId}/device`);
  const projects = input.projects.length ? [input.projects[index % input.projects.length]!, input.projects[(index + 1) % input.projects.length]!] : [];
  if (!projects.length) return null;
  const ops: SyncOp[] = [];
  const shots: PlannedShot[] = [];
  const op = (at: number, label: string) => demoId(at, `${member.userId}/${label}/op`);
  // Energy of the day: some days are better than others.
  const dayEnergy = profile.energy * (0.85 + rnd() * 0.3);
  for (const [n, e] of entriesOf(workSpans(dayStart, rnd, profile.startMinute), rnd).entries()) {
    if (e.start >= until) break;
    const end = Math.min(e.end, Math.floor(until / MINUTE) * MINUTE);
    if (end <= e.start) break;
    const project = pick(rnd, projects);
    const task = project.tasks.length ? pick(rnd, project.tasks) : null;
    const entryId = demoId(e.start, `${member.userId}/entry/${date}/${n}`);
    ops.push({
      id: op(e.start, `entry/${entryId}`),
      kind: 'entry.upsert',
      entry: { id: entryId, projectId: project.id, taskId: task?.id ?? null, startedAt: new Date(e.start).toISOString(), endedAt: new Date(end).toISOString(), stopReason: 'user' },
    });
    // One idle stretch in some entries (a call away from the desk, reading): tracked, hardly active.
    const idleAt = rnd() < 0.45 ? e.start + Math.floor(rnd() * ((end - e.start) / MINUTE)) * MINUTE : -1;
    const idleEnd = idleAt + (6 + Math.floor(rnd() * 14)) * MINUTE;
    let app: DesktopApp = pick(rnd, profile.apps);
    let title = pick(rnd, DESKTOP_TITLES[app]);
    for (let t = e.start; t < end; t += MINUTE) {
      if ((t - dayStart) % SLOT === 0 || t === e.start) {
        if (rnd() < 0.5) {
          app = pick(rnd, profile.apps);
          title = pick(rnd, DESKTOP_TITLES[app]);
        }
        const slotStart = t - ((t - dayStart) % SLOT);
        const slotEnd = Math.min(slotStart + SLOT, end);
        for (let k = 0; k < input.screenshotsPerSlot; k++) {
          const from = Math.max(slotStart, e.start, t);
          const takenAt = from + Math.floor(rnd() * Math.max(1, slotEnd - from - 1000));
          if (takenAt >= end || takenAt >= until) continue;
          const scene: DesktopShot = { look, app, scroll: rnd(), clock: clockOf(new Date(takenAt), input.tz), title };
          shots.push({ id: demoId(takenAt, `${member.userId}/shot/${takenAt}/${k}`), entryId, takenAt: new Date(takenAt), scene });
        }
      }
      const hour = (t - dayStart) / 3_600_000;
      // Mornings higher, a dip after lunch, tired at the end of the day.
      const timeOfDay = hour < 12 ? 1.12 : hour < 14.5 ? 0.85 : hour < 16.5 ? 0.97 : 0.8;
      const idle = t >= idleAt && t < idleEnd;
      const level = idle ? rnd() * 0.05 : Math.min(1, Math.max(0.05, dayEnergy * timeOfDay + (rnd() - 0.5) * 0.5));
      const activeSeconds = Math.round(60 * level);
      const other: DesktopApp = pick(rnd, profile.apps);
      const main = other === app ? 60 : 38 + Math.floor(rnd() * 20);
      const apps = [
        { app: APP_NAMES[app], seconds: main, ...(input.recordWindowTitles ? { title } : {}) },
        ...(main < 60 ? [{ app: APP_NAMES[other], seconds: 60 - main, ...(input.recordWindowTitles ? { title: pick(rnd, DESKTOP_TITLES[other]) } : {}) }] : []),
      ];
      const minuteId = demoId(t, `${member.userId}/minute/${t}`);
      ops.push({
        id: op(t, `minute/${minuteId}`),
        kind: 'activity.minute',
        minute: { id: minuteId, entryId, minuteStart: new Date(t).toISOString(), activeSeconds, trackedSeconds: 60, apps },
      });
    }
  }
  if (!ops.length) return null;
  return { key: `${member.userId}/${date}`, userId: member.userId, date, deviceId, ops, shots };
}

/** Every member's working days, newest day first (the days a manager opens first fill first). */
export function planHistory(input: PlanInput): DayPlan[] {
  const today = dateIn(input.tz, input.until.getTime());
  const out: DayPlan[] = [];
  for (let d = 0, before = 0; before < input.days || d === 0; d++) {
    const date = addDays(today, -d);
    if (isWeekend(date)) continue;
    if (d > 0) before++;
    for (const [i, m] of input.members.entries()) {
      const planned = planDay(input, m, i, date);
      if (planned) out.push(planned);
    }
  }
  return out;
}
