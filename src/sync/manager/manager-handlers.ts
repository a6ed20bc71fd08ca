import type { MeResponse } from '../../shared/http/org';
import { TrackerError, type TrackerHandlers } from '../../shared/tracker-api';
import { addDays, dateIn, weekOf, zonedDayStart } from '../../shared/rules/zoned-day';
import { toHttpFailure } from '../api/http-failure';
import type { ServerClient } from '../api/server-client';

export type ManagerMethod = 'manager.members' | 'manager.timeline' | 'manager.totals' | 'manager.now' | 'manager.exportCsv' | 'manager.fullImage';
export type ManagerHandlers = Pick<TrackerHandlers, ManagerMethod>;

/** The signed-in connection the reads go through (the sync engine's own client: one refresh for both). */
export interface ManagerConnection {
  serverUrl: string;
  me: MeResponse | null;
  client: ServerClient | null;
}

const MANAGING_ROLES = new Set(['owner', 'admin', 'manager']);
const DAY_MS = 86_400_000;

/** The server's refusal in TrackerApi terms, with its own reason. */
function serverFailure(what: string, err: unknown): TrackerError {
  const f = toHttpFailure(err);
  if (f.status === null) return new TrackerError('unavailable', `${what}: cannot reach the server (${f.reason})`);
  if (f.status === 400 || f.status === 422) return new TrackerError('invalid_argument', `${what}: ${f.reason}`);
  if (f.status === 403) return new TrackerError('permission_denied', `${what}: ${f.reason}`);
  if (f.status === 404) return new TrackerError('not_found', `${what}: ${f.reason}`);
  if (f.status === 401) return new TrackerError('failed_precondition', `${what}: the session ended, sign in again (${f.reason})`);
  if (f.status === 429 || f.status >= 500) return new TrackerError('unavailable', `${what}: the server could not answer now (${f.status}: ${f.reason})`);
  return new TrackerError('internal', `${what}: ${f.status} ${f.reason}`);
}

/** Which part of `date` (in `tz`) lies past the org's screenshot retention at `now`. */
function purgedPart(date: string, tz: string, days: number | null, now: number): 'none' | 'part' | 'all' {
  if (days === null) return 'none';
  const cutoff = now - days * DAY_MS;
  if (zonedDayStart(addDays(date, 1), tz) <= cutoff) return 'all';
  return zonedDayStart(date, tz) < cutoff ? 'part' : 'none';
}

/**
 * The manager's reads: each checks the role of the session the core holds, then asks the server
 * with that session. The window never sees a token; it gets the server's own contracts back.
 */
export function createManagerHandlers(o: { connection: () => ManagerConnection | null; now: () => number }): ManagerHandlers {
  const signedIn = (what: string): { client: ServerClient; me: MeResponse; serverUrl: string } => {
    const c = o.connection();
    if (!c?.me) throw new TrackerError('failed_precondition', `${what} needs a manager's sign-in: this tracker is not signed in`);
    if (!MANAGING_ROLES.has(c.me.user.role))
      throw new TrackerError('permission_denied', `${what} is for managers: ${c.me.user.email} is signed in as an ${c.me.user.role}, who sees only their own time`);
    if (!c.client) throw new TrackerError('unavailable', `${what}: the connection to ${c.serverUrl} is still starting, try again in a moment`);
    return { client: c.client, me: c.me, serverUrl: c.serverUrl };
  };
  const ask = async <T>(what: string, run: (client: ServerClient) => Promise<T>): Promise<T> => {
    const { client } = signedIn(what);
    try {
      return await run(client);
    } catch (err) {
      throw err instanceof TrackerError ? err : serverFailure(what, err);
    }
  };
  const notAfterToday = (what: string, date: string, tz: string) => {
    const today = dateIn(tz, o.now());
    if (date > today) throw new TrackerError('invalid_argument', `${what}: date: ${date} is after today (${today} in ${tz})`, [{ path: 'date', message: `is after today (${today} in ${tz})` }]);
  };

  return {
    async 'manager.members'() {
      return ask('the team list', (c) => c.users());
    },
    async 'manager.timeline'({ userId, date, tz }) {
      const { me } = signedIn("a member's day");
      notAfterToday("a member's day", date, tz);
      const timeline = await ask("a member's day", (c) => c.timeline({ userId, date, tz }));
      const days = me.org.retentionDays;
      return { ...timeline, retention: { days, purged: purgedPart(date, tz, days, o.now()) } };
    },
    async 'manager.totals'({ userId, date, tz }) {
      signedIn('the totals');
      notAfterToday('the totals', date, tz);
      const week = weekOf(date);
      return ask('the totals', async (c) => {
        const [day, weekTotals] = await Promise.all([
          c.summary({ from: date, to: date, groupBy: 'project', tz, userId }),
          c.summary({ from: week.from, to: week.to, groupBy: 'project', tz, userId }),
        ]);
        return { day, week: weekTotals };
      });
    },
    async 'manager.now'() {
      return ask('who is tracking now', (c) => c.teamNow());
    },
    async 'manager.exportCsv'({ from, to, tz, groupBy, userId }) {
      const { csv, filename } = await ask('the CSV export', (c) => c.summaryCsv({ from, to, tz, groupBy, ...(userId ? { userId } : {}) }));
      const rows = csv.split('\r\n').filter((line) => line.length > 0).length - 1;
      return { csv, rows: Math.max(0, rows), filename: filename ?? `stint-${groupBy}-${from}-${to}.csv` };
    },
    async 'manager.fullImage'({ screenshotId, fullUrl }) {
      const { serverUrl } = signedIn('the full-size image');
      const url = new URL(fullUrl);
      // Only the signed-in server's own audited link is followed: never an address the window made up.
      if (url.origin !== new URL(serverUrl).origin || url.pathname !== `/v1/screenshots/${screenshotId}/full`)
        throw new TrackerError('invalid_argument', `fullUrl: is not ${serverUrl}'s full-image link of screenshot ${screenshotId}`, [
          { path: 'fullUrl', message: `must be the timeline's link of screenshot ${screenshotId} on ${new URL(serverUrl).origin}` },
        ]);
      const location = await ask('the full-size image', (c) => c.fullImageLocation(url.toString()));
      return { screenshotId, url: location };
    },
  };
}

/** The manager's reads of a tracker that cannot sign in (tests, offline hosts). */
export function offlineManagerHandlers(): ManagerHandlers {
  return createManagerHandlers({ connection: () => null, now: Date.now });
}
