import { unprocessable } from '../errors/http-error';

const EARLIEST = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 24 * 3_600_000;

/** Device instants must be plausible: not before 2000, not more than a day ahead of the server. */
export function plausibleInstant(iso: string, now: Date, field: string): Date {
  const d = new Date(iso);
  const t = d.getTime();
  if (!Number.isFinite(t)) throw unprocessable(`${field} is not a valid instant`);
  if (t < EARLIEST) throw unprocessable(`${field} is before 2000-01-01`);
  if (t > now.getTime() + MAX_FUTURE_MS) throw unprocessable(`${field} is more than a day in the future`);
  return d;
}
