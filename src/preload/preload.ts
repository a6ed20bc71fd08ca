/**
 * The only bridge between the sandboxed window and main: `window.stint` with one function per
 * TrackerApi method (IPC invoke of its channel) and one event subscription. ipcRenderer itself
 * never reaches the page. Must stay a single bundled file (sandboxed preloads cannot require ours).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { trackerMethodNames } from '../shared/tracker-methods';
import { encodeTrackerError, type TrackerErrorShape } from '../shared/tracker-error';
import type { TrackerApi, TrackerEvent } from '../shared/tracker-api';
import { EVENT_CHANNEL, IPC_PREFIX, type StintPreload } from '../shared/preload-contract';

type Reply = { ok: true; value: unknown } | { ok: false; error: TrackerErrorShape };

const invoke = async (method: string, input: unknown) => {
  const reply = (await ipcRenderer.invoke(`${IPC_PREFIX}${method}`, input ?? {})) as Reply;
  if (reply.ok) return reply.value;
  // Only the message survives contextBridge: it carries the code and field issues (decoded in pick-bridge.ts).
  throw new Error(encodeTrackerError(reply.error));
};

const api = Object.fromEntries(trackerMethodNames.map((m) => [m, (input: unknown) => invoke(m, input)])) as unknown as TrackerApi;

const stint = {
  api,
  onEvent(listener: (e: TrackerEvent) => void): () => void {
    const l = (_e: IpcRendererEvent, event: TrackerEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, l);
    return () => void ipcRenderer.off(EVENT_CHANNEL, l);
  },
} satisfies StintPreload;

contextBridge.exposeInMainWorld('stint', stint);
