import { TrackerError, parseTrackerInput, trackerMethods, type TrackerApi, type TrackerMethod } from '../shared/tracker-api';
import { isAppUrl } from './security';

import { IPC_PREFIX } from '../shared/preload-contract';

export { EVENT_CHANNEL, IPC_PREFIX } from '../shared/preload-contract';
/** The IPC channel names: one per TrackerApi method, generated from the table. */
export const ipcChannels: readonly string[] = trackerMethods.map((m) => `${IPC_PREFIX}${m}`);

/** The part of Electron's IpcMainInvokeEvent the relay reads (so the check is testable without Electron). */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

/** What crosses back to the renderer: the output, or the error's code, reason and field issues. */
export type RelayReply = { ok: true; value: unknown } | { ok: false; error: ReturnType<TrackerError['toJSON']> };

/**
 * Main's half of the renderer IPC: checks the sender is the app's own top frame, validates the
 * argument with the src/shared schema (so a compromised page gets field reasons, and the core
 * never sees malformed input), then calls the core over its port.
 */
export function createIpcRelay(core: () => TrackerApi | null) {
  return async function relay(method: TrackerMethod, event: InvokeEventLike, input: unknown): Promise<RelayReply> {
    try {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isAppUrl(frame.url))
        throw new TrackerError('failed_precondition', `refused: ${method} was called from ${frame?.url ?? 'a frame that is gone'}, not the Stint window`);
      const parsed = parseTrackerInput(method, input);
      const api = core();
      if (!api) throw new TrackerError('unavailable', 'the tracker core is restarting; try again in a moment');
      return { ok: true, value: await (api[method] as (i: unknown) => Promise<unknown>)(parsed) };
    } catch (err) {
      const e = err instanceof TrackerError ? err : new TrackerError('internal', (err as Error).message);
      return { ok: false, error: e.toJSON() };
    }
  };
}
