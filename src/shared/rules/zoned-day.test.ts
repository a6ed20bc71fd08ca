import { describe, expect, it } from 'vitest';
import { addDays, dateIn, daysBetween, weekOf, zonedDayStart, zoneOffsetMs } from './zoned-day';

describe('calendar days in a zone', () => {
  it.each([
    ['2026-12-03', 'UTC', '2026-12-03T00:00:00.000Z'],
    ['2026-12-03', 'Asia/Kathmandu', '2026-12-02T18:15:00.000Z'],
    ['2026-12-03', 'Asia/Kolkata', '2026-12-02T18:30:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'], // DST starts at 02:00 that day
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'], // DST ends at 02:00 that day
    ['2026-12-03', 'Pacific/Kiritimati', '2026-12-02T10:00:00.000Z'],
  ])('%s in %s starts at %s', (date, tz, start) => {
    expect(new Date(zonedDayStart(date, tz)).toISOString()).toBe(start);
  });

  it('says the date and offset in a zone at an instant', () => {
    const at = Date.parse('2026-12-02T18:20:00Z');
    expect(dateIn('Asia/Kathmandu', at)).toBe('2026-12-03');
    expect(dateIn('UTC', at)).toBe('2026-12-02');
    expect(zoneOffsetMs('Asia/Kathmandu', at)).toBe((5 * 60 + 45) * 60_000);
  });

  it('moves by days across month and year ends, and finds the Monday-to-Sunday week', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekOf('2026-12-03')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // a Thursday
    expect(weekOf('2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // its Monday
    expect(weekOf('2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06' }); // its Sunday
    expect(daysBetween('2026-12-01', '2026-12-03')).toBe(2);
    expect(daysBetween('2026-12-03', '2026-12-01')).toBe(-2);
  });
});
