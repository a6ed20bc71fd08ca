import { describe, expect, it } from 'vitest';
import { TrackerError } from '../../shared/tracker-error';
import type { TrackerOutput } from '../../shared/tracker-api';
import { fakeTracker } from '../test-support/fake-tracker';
import { createManagerStore, dayShots } from './manager.store';
import { hoursOf } from '../components/manager/day-timeline';
import { canManage } from './session.store';

const ORG = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e50';
const ANA = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e51';
const BEN = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e52';
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e53';
const T = Date.UTC(2026, 0, 7, 12, 0); // a Wednesday
const user = (id: string, name: string) => ({ id, orgId: ORG, email: `${name.toLowerCase()}@example.com`, name, role: 'employee' as const, timeZone: 'UTC' });
const shot = (n: number, at: string) => ({ id: `019b8c1e-0000-7000-8000-00000000000${n}`, takenAt: at, displayId: '0', width: 1280, height: 720, thumbUrl: `https://s3.example/t${n}`, fullUrl: `https://api.example/v1/screenshots/x${n}/full` });
const slot = (start: string, label: string, shots: ReturnType<typeof shot>[]) => ({
  start,
  end: new Date(Date.parse(start) + 600_000).toISOString(),
  label,
  trackedSeconds: 600,
  activeSeconds: 300,
  activityPercent: 50,
  project: { id: PROJECT, name: 'Website' },
  topApps: [{ app: 'Editor', seconds: 500 }],
  screenshots: shots,
});
const timeline = (userId: string, date: string): TrackerOutput<'manager.timeline'> => ({
  userId,
  date,
  tz: 'UTC',
  slots: [slot('2026-01-07T09:00:00.000Z', '09:00', [shot(1, '2026-01-07T09:02:00.000Z'), shot(2, '2026-01-07T09:07:00.000Z')]), slot('2026-01-07T11:30:00.000Z', '11:30', [shot(3, '2026-01-07T11:31:00.000Z')])],
  totals: { trackedSeconds: 1200, activeSeconds: 600 },
  retention: { days: null, purged: 'none' },
});
const summary = (from: string, to: string) => ({ from, to, groupBy: 'project' as const, rows: [{ key: PROJECT, label: 'Website', trackedSeconds: 1200, activeSeconds: 600, activityPercent: 50 }] });

/** A fake whose answers wait until released, so the test sees which calls were in flight together. */
function gatedTracker() {
  const gates: Array<() => void> = [];
  const later = <T,>(v: T) => new Promise<T>((r) => gates.push(() => r(v)));
  const fake = fakeTracker({
    'manager.members': () => later({ users: [user(BEN, 'Ben'), user(ANA, 'Ana')] }),
    'manager.now': () => later({ members: [] }),
    'manager.timeline': (i: { userId: string; date: string }) => later(timeline(i.userId, i.date)),
    'manager.totals': (i: { date: string }) => later({ day: summary(i.date, i.date), week: summary('2026-01-05', '2026-01-11') }),
    'manager.fullImage': (i: { screenshotId: string }) => ({ screenshotId: i.screenshotId, url: `https://s3.example/full-${i.screenshotId}` }),
    'manager.exportCsv': () => ({ filename: 'stint-day-2026-01-05-2026-01-07.csv', csv: 'key,label\r\n2026-01-07,x\r\n', rows: 1 }),
  });
  return { ...fake, release: () => gates.splice(0).forEach((g) => g()) };
}

describe('the manager view store', () => {
  it("asks for the team, who tracks now, and the remembered member's day and totals at once, not one after another", async () => {
    const fake = gatedTracker();
    const store = createManagerStore(fake.api, { tz: 'UTC', now: () => T });
    const opened = store.getState().open(BEN);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls.map((c) => c.method).sort()).toEqual(['manager.members', 'manager.now', 'manager.timeline', 'manager.totals'].sort());
    expect(store.getState().day).toEqual({ state: 'loading' });
    fake.release();
    await opened;
    const s = store.getState();
    expect(s.members).toMatchObject({ state: 'ready', value: [{ name: 'Ana' }, { name: 'Ben' }] });
    expect(s.day).toMatchObject({ state: 'ready', value: { userId: BEN, date: '2026-01-07' } });
    expect(fake.calls.find((c) => c.method === 'manager.timeline')?.input).toEqual({ userId: BEN, date: '2026-01-07', tz: 'UTC' });
  });

  it('without a remembered member opens the first of the team; moves by day but never past today', async () => {
    const fake = fakeTracker({
      'manager.members': () => ({ users: [user(BEN, 'Ben'), user(ANA, 'Ana')] }),
      'manager.now': () => ({ members: [] }),
      'manager.timeline': (i: { userId: string; date: string }) => timeline(i.userId, i.date),
      'manager.totals': (i: { date: string }) => ({ day: summary(i.date, i.date), week: summary('2026-01-05', '2026-01-11') }),
    });
    const store = createManagerStore(fake.api, { tz: 'UTC', now: () => T });
    await store.getState().open(null);
    expect(store.getState().memberId).toBe(ANA);
    expect(store.getState().day).toMatchObject({ state: 'ready', value: { userId: ANA } });
    await store.getState().shiftDay(-1);
    expect(store.getState().date).toBe('2026-01-06');
    await store.getState().shiftDay(5);
    expect(store.getState().date).toBe('2026-01-07');
    expect(fake.calls.filter((c) => c.method === 'manager.timeline').map((c) => (c.input as { date: string }).date)).toEqual(['2026-01-07', '2026-01-06', '2026-01-07']);
  });

  it('walks the lightbox through the day with the signed full-size URL, stopping at either end', async () => {
    const fake = gatedTracker();
    const store = createManagerStore(fake.api, { tz: 'UTC', now: () => T });
    const opened = store.getState().open(ANA);
    await new Promise((r) => setTimeout(r, 0));
    fake.release();
    await opened;
    expect(dayShots((store.getState().day as { value: TrackerOutput<'manager.timeline'> }).value).map((s) => s.slotLabel)).toEqual(['09:00', '09:00', '11:30']);
    await store.getState().openShot(0);
    expect(store.getState().lightbox).toEqual({ index: 0, url: 'https://s3.example/full-019b8c1e-0000-7000-8000-000000000001', error: null });
    await store.getState().moveShot(-1);
    expect(store.getState().lightbox?.index).toBe(0);
    await store.getState().moveShot(1);
    await store.getState().moveShot(1);
    await store.getState().moveShot(1);
    expect(store.getState().lightbox).toMatchObject({ index: 2, url: expect.stringContaining('000000000003') });
  });

  it("shows a failed read's reason, and a refused export's field reason", async () => {
    const fake = fakeTracker({
      'manager.members': () => {
        throw new TrackerError('permission_denied', 'the team list is for managers: a@example.com is signed in as an employee');
      },
      'manager.now': () => ({ members: [] }),
      'manager.exportCsv': () => {
        throw new TrackerError('invalid_argument', 'manager.exportCsv: to: must be on or after the first day', [{ path: 'to', message: 'must be on or after the first day' }]);
      },
    });
    const store = createManagerStore(fake.api, { tz: 'UTC', now: () => T });
    await store.getState().open(null);
    expect(store.getState().members).toEqual({ state: 'error', error: expect.stringMatching(/is for managers/) });
    const saved: string[] = [];
    await store.getState().exportCsv({ from: '2026-01-07', to: '2026-01-06', groupBy: 'day', onlyMember: false }, (f) => saved.push(f));
    expect(saved).toEqual([]);
    expect(store.getState().exported).toMatchObject({ busy: false, error: null, fieldErrors: { to: 'must be on or after the first day' } });
  });

  it('lays slots out as hours of six cells in the viewer zone, with the empty hours between', () => {
    const day = timeline(ANA, '2026-01-07');
    const hours = hoursOf(day.slots, 'UTC');
    expect(hours.map((h) => h.label)).toEqual(['09:00', '10:00', '11:00']);
    expect(hours[0]!.cells.map((c) => c?.label ?? null)).toEqual(['09:00', null, null, null, null, null]);
    expect(hours[2]!.cells.map((c) => c?.label ?? null)).toEqual([null, null, null, '11:30', null, null]);
    // Kathmandu: a local hour starts at :15 UTC.
    const ktm = hoursOf([slot('2026-01-07T03:25:00.000Z', '09:10', [])], 'Asia/Kathmandu');
    expect(ktm.map((h) => [new Date(h.start).toISOString(), h.label])).toEqual([['2026-01-07T03:15:00.000Z', '09:00']]);
    expect(ktm[0]!.cells[1]?.label).toBe('09:10');
  });

  it('shows the team view only to owners, admins and managers', () => {
    const signedIn = (role: 'owner' | 'admin' | 'manager' | 'employee') => ({ state: 'signed-in' as const, role, user: { id: ANA, email: 'a@example.com', name: 'A' }, org: { id: ORG, name: 'O' }, serverUrl: 'https://api.example', imageOrigins: [] });
    expect(['owner', 'admin', 'manager', 'employee'].map((r) => canManage(signedIn(r as 'owner')))).toEqual([true, true, true, false]);
    expect(canManage(null)).toBe(false);
    expect(canManage('unknown')).toBe(false);
    expect(canManage({ state: 'signed-out' })).toBe(false);
  });
});
