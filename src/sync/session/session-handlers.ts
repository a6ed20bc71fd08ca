import { TrackerError, type TrackerHandlers } from '../../shared/tracker-api';

type SessionHandlers = Pick<TrackerHandlers, 'session.get' | 'session.signIn' | 'session.enroll' | 'session.signOut'>;

const notYet = (what: string) =>
  new TrackerError('unavailable', `sign-in from the window is not built yet: ${what} (sign in with the agent's first-run set-up for now)`);

/**
 * The session methods of the TrackerApi. Their contracts are final; the runtime sign-in behind
 * them is the next step, so for now each answers `unavailable` with the reason.
 */
export function createSessionHandlers(): SessionHandlers {
  return {
    async 'session.get'() {
      throw notYet('the tracker cannot report its session yet');
    },
    async 'session.signIn'() {
      throw notYet('signing in with email and password');
    },
    async 'session.enroll'() {
      throw notYet('enrolling with a token');
    },
    async 'session.signOut'() {
      throw notYet('signing out (queued records are kept)');
    },
  };
}
