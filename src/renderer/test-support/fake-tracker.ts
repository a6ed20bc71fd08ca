import { parseTrackerInput, trackerApi, trackerMethods, TrackerError, type TrackerApi, type TrackerEvent, type TrackerMethod, type TrackerStatus } from '../../shared/tracker-api';
import type { Connection, TrackerBridge } from '../bridge/tracker-bridge';

export const baseStatus = (over: Partial<TrackerStatus> = {}): TrackerStatus => ({
  running: null,
  todaySeconds: 0,
  weekSeconds: 0,
  inReview: 0,
  activityPercent: null,
  idleSeconds: 0,
  pendingIdle: false,
  queue: { screenshots: 0, ops: 0, dead: 0, bytesPending: 0, oldestUnsyncedSeconds: null },
  sync: { state: 'idle', lastSuccessAt: null, lastError: null },
  lastCaptureError: null,
  storageError: null,
  policyError: null,
  ...over,
});

type Impl = { [K in TrackerMethod]?: (input: never) => unknown };

/**
 * A TrackerApi in memory for store tests (the renderer may not import the core). Inputs go
 * through the real contract, outputs are checked against it, so a store cannot drift from it.
 */
export function fakeTracker(impl: Impl) {
  const calls: Array<{ method: TrackerMethod; input: unknown }> = [];
  const api = Object.fromEntries(
    trackerMethods.map((m) => [
      m,
      async (input: unknown) => {
        const parsed = parseTrackerInput(m, input);
        calls.push({ method: m, input: parsed });
        const fn = impl[m] as ((i: unknown) => unknown) | undefined;
        if (!fn) throw new TrackerError('unavailable', `${m} not scripted`);
        return trackerApi[m].output.parse(await fn(parsed));
      },
    ]),
  ) as unknown as TrackerApi;
  let emit: (e: TrackerEvent) => void = () => undefined;
  let connect: (c: Connection) => void = () => undefined;
  const bridge: TrackerBridge = {
    api,
    subscribe(onEvent, onConnection) {
      emit = onEvent;
      connect = onConnection;
      return () => undefined;
    },
  };
  return { api, bridge, calls, emit: (e: TrackerEvent) => emit(e), connect: (c: Connection) => connect(c) };
}
