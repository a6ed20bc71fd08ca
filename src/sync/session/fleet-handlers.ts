import { TrackerError, type TrackerHandlers } from '../../shared/tracker-api';
import { toHttpFailure } from '../api/http-failure';
import type { ServerConnection } from './agent-session';

/** The fleet view's TrackerApi method: the core asks the server with its own credential; the window never holds one. */
export function fleetHandlers(current: () => ServerConnection | null): Pick<TrackerHandlers, 'fleet.list'> {
  return {
    async 'fleet.list'() {
      const c = current();
      if (!c) throw new TrackerError('failed_precondition', 'sign in as an admin of your organisation to see its devices');
      try {
        return await c.fleet();
      } catch (err) {
        const f = toHttpFailure(err);
        if (f.status === null) throw new TrackerError('unavailable', `cannot reach the server at ${c.serverUrl}: ${f.reason}`);
        if (f.status === 403) throw new TrackerError('failed_precondition', `only admins see the organisation's devices (the server said ${f.reason})`);
        throw new TrackerError('internal', `the server could not list the devices: ${f.status} ${f.reason}`);
      }
    },
  };
}
