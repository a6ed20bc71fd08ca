import { TrackerError } from '../../shared/tracker-api';
import type { SessionHandlers } from '../tracker-types';
import { offlineManagerHandlers } from '../manager/manager-handlers';

export type { SessionHandlers } from '../tracker-types';

const noService = (what: string) =>
  new TrackerError('unavailable', `${what} is not available: this tracker was started without a session service (it runs offline)`);

/** The session methods of a tracker that runs without a server and cannot sign in (tests, offline hosts). */
export function offlineSessionHandlers(): SessionHandlers {
  return {
    async 'session.get'() {
      return { state: 'signed-out' as const };
    },
    async 'session.signIn'() {
      throw noService('signing in');
    },
    async 'session.enroll'() {
      throw noService('enrolling');
    },
    async 'session.signOut'() {
      return { state: 'signed-out' as const };
    },
    async 'fleet.list'() {
      throw noService('the fleet view');
    },
    ...offlineManagerHandlers(),
  };
}
