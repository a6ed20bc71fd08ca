import type { TrackerApi, TrackerEvent } from './tracker-api';

/**
 * What the Electron preload (src/preload/preload.ts) exposes as `window.stint`, and what the
 * renderer's bridge (src/renderer/bridge/pick-bridge.ts) reads. Rejections are Errors whose
 * message is encodeTrackerError(...) (contextBridge keeps only the message).
 */
export interface StintPreload {
  api: TrackerApi;
  onEvent(listener: (e: TrackerEvent) => void): () => void;
}

/** The IPC channel of each method (`stint:<method>`) and of the event stream. */
export const IPC_PREFIX = 'stint:';
export const EVENT_CHANNEL = 'stint:event';
