import { createHttpBridge } from './http-bridge-client';
import type { TrackerBridge } from './tracker-bridge';
import { decodeTrackerError } from '../../shared/tracker-error';
import { trackerMethodNames } from '../../shared/tracker-methods';
import type { TrackerApi } from '../../shared/tracker-api';

const KEY = 'stint.bridgeToken';

/**
 * The preload's API when Electron put one there, else the agent's HTTP bridge on this page's own
 * origin. The token arrives in the URL fragment (never sent in a request); it is moved to
 * sessionStorage and the fragment cleared so it does not linger in the address bar.
 */
export function pickBridge(win: Window = window): TrackerBridge | { error: string } {
  if (win.stint) {
    const { api: raw, onEvent } = win.stint;
    // Errors from the preload arrive as plain Errors with the TrackerError in their message.
    const api = Object.fromEntries(
      trackerMethodNames.map((m) => [m, (input: unknown) => (raw[m] as (i: unknown) => Promise<unknown>)(input).catch((err: unknown) => Promise.reject(decodeTrackerError(err)))]),
    ) as unknown as TrackerApi;
    return {
      api,
      subscribe: (listener, onConnection) => {
        onConnection('up');
        return onEvent(listener);
      },
    };
  }
  const fromHash = new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    win.sessionStorage.setItem(KEY, fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = fromHash ?? win.sessionStorage.getItem(KEY);
  if (!token) return { error: 'This page needs the link the Stint agent printed (it carries the access token after #token=).' };
  return createHttpBridge(win.location.origin, token);
}
