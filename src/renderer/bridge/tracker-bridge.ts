import type { TrackerApi, TrackerEvent } from '../../shared/tracker-api';
import type { StintPreload } from '../../shared/preload-contract';

export type { StintPreload };

export type Connection = 'connecting' | 'up' | 'down';

/** What the renderer knows of its host: the TrackerApi and the event stream. Nothing else knows which transport. */
export interface TrackerBridge {
  api: TrackerApi;
  /** Live events; `onConnection` says when the tracker goes away and comes back (it reconnects by itself). */
  subscribe(onEvent: (e: TrackerEvent) => void, onConnection: (c: Connection) => void): () => void;
}

declare global {
  interface Window {
    stint?: StintPreload;
  }
}
