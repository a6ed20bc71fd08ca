/**
 * Calendar days in an IANA zone, without a date library: the zone's midnight as an instant,
 * today's date there, day arithmetic on ISO dates and the Monday-to-Sunday week of a day.
 * No zod here, so the window imports it at runtime.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(tz: string, ms: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

/** The zone's offset from UTC at an instant, in ms (+05:45 → 20 700 000). */
export function zoneOffsetMs(tz: string, ms: number): number {
  const p = partsIn(tz, ms);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(ms / 1000) * 1000;
}

const ymd = (date: string) => date.split('-').map(Number) as [number, number, number];

/** The instant the day `date` (YYYY-MM-DD) starts in `tz` (its first wall-clock moment, DST included). */
export function zonedDayStart(date: string, tz: string): number {
  const [y, m, d] = ymd(date);
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - zoneOffsetMs(tz, wall);
  return wall - zoneOffsetMs(tz, first);
}

/** The date (YYYY-MM-DD) it is in `tz` at instant `ms`. */
export function dateIn(tz: string, ms: number): string {
  const p = partsIn(tz, ms);
  return `${String(p.y).padStart(4, '0')}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday-to-Sunday week holding `date`. */
export function weekOf(date: string): { from: string; to: string } {
  const [y, m, d] = ymd(date);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  const from = addDays(date, -weekday);
  return { from, to: addDays(from, 6) };
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = ymd(from);
  const [y2, m2, d2] = ymd(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}
