import { describe, expect, it } from 'vitest';
import { idTime, uuidV7 } from '../../src/shared/ids';
import { syncOpSchema } from '../../src/shared/http/push';
import { demoId, planHistory, type PlanInput } from './history-plan';
import { dateIn, zoneOffsetMs } from '../../src/shared/rules/zoned-day';

const members = [
  { userId: '0b6f8a52-6f0e-4d1e-9b0a-1f2d3c4b5a61', name: 'Emma Employee' },
  { userId: '1c7a9b63-7a1f-4e2f-8c1b-2a3e4d5c6b72', name: 'Eli Employee' },
  { userId: '2d8bac74-8b2a-4f3a-9d2c-3b4f5e6d7c83', name: 'Noor Employee' },
];
const projects = [
  { id: '3e9cbd85-9c3b-4a4b-8e3d-4c5a6f7e8d94', name: 'Website', tasks: [{ id: '4fadce96-ad4c-4b5c-9f4e-5d6b7a8f9ea5', name: 'Design' }] },
  { id: '5abedfa7-be5d-4c6d-8a5f-6e7c8b9a0fb6', name: 'Mobile app', tasks: [] },
];
// Thursday 3 Dec 2026, 15:00 UTC: the week before is Wed 2 … Thu 26 Nov, with a weekend in it.
const input: PlanInput = { until: new Date('2026-12-03T15:00:00Z'), days: 5, members, projects, screenshotsPerSlot: 1, recordWindowTitles: false, tz: 'UTC' };

describe('the demo history plan', () => {
  const plan = planHistory(input);

  it('is five working days before the start and the start day up to its instant, newest first, for each member', () => {
    const dates = [...new Set(plan.map((d) => d.date))];
    expect(dates).toEqual(['2026-12-03', '2026-12-02', '2026-12-01', '2026-11-30', '2026-11-27', '2026-11-26']);
    for (const date of dates) expect(plan.filter((d) => d.date === date).map((d) => d.userId)).toEqual(members.map((m) => m.userId));
    const until = input.until.getTime();
    for (const d of plan) {
      for (const s of d.shots) expect(s.takenAt.getTime()).toBeLessThan(until);
      for (const op of d.ops) {
        if (op.kind === 'activity.minute') expect(Date.parse(op.minute.minuteStart)).toBeLessThan(until);
        if (op.kind === 'entry.upsert') expect(Date.parse(op.entry.endedAt!)).toBeLessThanOrEqual(until);
      }
    }
  });

  it('is the same plan every time (ids included), and every op is what the push contract accepts', () => {
    expect(planHistory(input)).toEqual(plan);
    const ids = plan.flatMap((d) => [d.deviceId, ...d.shots.map((s) => s.id), ...d.ops.map((o) => o.id)]);
    expect(new Set(ids).size).toBe(ids.length - plan.length + members.length); // one device per member, every other id unique
    for (const id of ids) expect(uuidV7.safeParse(id).success).toBe(true);
    for (const d of plan) for (const op of d.ops) expect(syncOpSchema.safeParse(op).success).toBe(true);
    for (const d of plan) for (const s of d.shots) expect(idTime(s.id)).toBe(s.takenAt.getTime());
  });

  it('has working hours, a lunch gap, lower activity after lunch than in the morning, and one screenshot per tracked slot', () => {
    for (const d of plan.filter((x) => x.date === '2026-12-02')) {
      const minutes = d.ops.flatMap((o) => (o.kind === 'activity.minute' ? [o.minute] : []));
      const hours = minutes.map((m) => new Date(m.minuteStart).getUTCHours() + new Date(m.minuteStart).getUTCMinutes() / 60);
      expect(Math.min(...hours)).toBeGreaterThanOrEqual(8);
      expect(Math.max(...hours)).toBeLessThan(18.5);
      const starts = minutes.map((m) => Date.parse(m.minuteStart));
      const longestGap = Math.max(...starts.slice(1).map((t, i) => t - starts[i]!));
      expect(longestGap).toBeGreaterThanOrEqual(35 * 60_000);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const morning = minutes.filter((_, i) => hours[i]! < 12).map((m) => m.activeSeconds);
      const afterLunch = minutes.filter((_, i) => hours[i]! >= 12.5 && hours[i]! < 14.5).map((m) => m.activeSeconds);
      expect(mean(morning)).toBeGreaterThan(mean(afterLunch));
      const slots = new Set(starts.map((t) => Math.floor(t / 600_000)));
      expect(d.shots.length).toBeGreaterThanOrEqual(slots.size);
      expect(d.shots.length).toBeLessThanOrEqual(slots.size + 6); // an entry starting mid-slot may add one
      for (const m of minutes) for (const a of m.apps) expect(a.title).toBeUndefined();
    }
  });

  it('records window titles only where the policy allows, and nothing on a weekend start', () => {
    const titled = planHistory({ ...input, days: 0, recordWindowTitles: true });
    expect(titled.flatMap((d) => d.ops).some((o) => o.kind === 'activity.minute' && o.minute.apps.some((a) => a.title))).toBe(true);
    expect(planHistory({ ...input, until: new Date('2026-12-05T15:00:00Z'), days: 0 })).toEqual([]);
  });

  it("is planned on the team's wall clock: local dates, office hours and desktop clocks in its zone (+13:00 and +05:45)", () => {
    // 15:00 UTC on Thursday is 04:00 on Friday in Auckland: Friday is the start day there.
    const auckland = planHistory({ ...input, tz: 'Pacific/Auckland' });
    // Nobody has started at 04:00, so the start day has nothing; the five working days before it do.
    expect([...new Set(auckland.map((d) => d.date))]).toEqual(['2026-12-03', '2026-12-02', '2026-12-01', '2026-11-30', '2026-11-27']);
    for (const tz of ['Pacific/Auckland', 'Asia/Kathmandu']) {
      for (const d of planHistory({ ...input, tz }).filter((x) => x.date === '2026-12-02')) {
        const local = (ms: number) => {
          const wall = ms + zoneOffsetMs(tz, ms);
          return { date: new Date(wall).toISOString().slice(0, 10), hours: (wall % 86_400_000) / 3_600_000 };
        };
        const minutes = d.ops.flatMap((o) => (o.kind === 'activity.minute' ? [Date.parse(o.minute.minuteStart)] : []));
        for (const t of minutes) {
          expect(local(t).date).toBe('2026-12-02');
          expect(local(t).hours).toBeGreaterThanOrEqual(8);
          expect(local(t).hours).toBeLessThan(18.5);
        }
        for (const shot of d.shots) {
          const { hours } = local(shot.takenAt.getTime());
          const hhmm = `${String(Math.floor(hours)).padStart(2, '0')}:${String(Math.floor((hours % 1) * 60 + 1e-9)).padStart(2, '0')}`;
          expect(shot.scene.clock).toBe(`Wed 2 Dec ${hhmm}`);
          expect(dateIn(tz, shot.takenAt.getTime())).toBe('2026-12-02');
        }
      }
    }
  });

  it('makes a UUIDv7 with the given time and bits from the label', () => {
    const a = demoId(Date.UTC(2026, 11, 2, 9, 30), 'x');
    expect(uuidV7.safeParse(a).success).toBe(true);
    expect(idTime(a)).toBe(Date.UTC(2026, 11, 2, 9, 30));
    expect(demoId(Date.UTC(2026, 11, 2, 9, 30), 'x')).toBe(a);
    expect(demoId(Date.UTC(2026, 11, 2, 9, 30), 'y')).not.toBe(a);
  });
});
