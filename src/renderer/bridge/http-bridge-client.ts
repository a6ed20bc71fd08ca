import type { TrackerApi, TrackerEvent } from '../../shared/tracker-api';
import { isTrackerErrorCode, TrackerError } from '../../shared/tracker-error';
import { trackerMethodNames } from '../../shared/tracker-methods';
import { createSseParser } from './sse-parser';
import type { Connection, TrackerBridge } from './tracker-bridge';

const NOT_RUNNING = 'Tracker not running';

/**
 * The agent's loopback HTTP bridge from a page on its own origin: POST /api/<method> with the
 * bearer token, GET /api/events as a fetch stream (so the token stays in a header, never a URL).
 */
export function createHttpBridge(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): TrackerBridge {
  const headers = { authorization: `Bearer ${token}` };
  const call = async (method: string, input: unknown) => {
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new TrackerError('unavailable', NOT_RUNNING);
    }
    const body = (await res.json().catch(() => ({}))) as { title?: string; detail?: string; errors?: unknown };
    if (res.ok) return body;
    const code = isTrackerErrorCode(body.title) ? body.title : res.status === 401 ? 'failed_precondition' : 'internal';
    throw new TrackerError(code, body.detail ?? `HTTP ${res.status}`, body.errors as never);
  };
  const api = Object.fromEntries(trackerMethodNames.map((m) => [m, (input: unknown) => call(m, input)])) as unknown as TrackerApi;

  const subscribe: TrackerBridge['subscribe'] = (onEvent, onConnection) => {
    let stopped = false;
    let ctrl: AbortController | null = null;
    let delay = 500;
    const report = (c: Connection) => !stopped && onConnection(c);
    const run = async () => {
      while (!stopped) {
        ctrl = new AbortController();
        try {
          const res = await fetchImpl(`${baseUrl}/api/events`, { headers, signal: ctrl.signal });
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          report('up');
          delay = 500;
          const parse = createSseParser((data) => {
            // Events come from our own core, typed by trackerEventSchema; the page keeps zod out of
            // its bundle and only drops what is not an event at all.
            const e = JSON.parse(data) as Partial<TrackerEvent> | null;
            if (e && typeof e.type === 'string') onEvent(e as TrackerEvent);
          });
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parse(value);
          }
        } catch {
          // fall through: the tracker went away (or never answered)
        }
        if (stopped) return;
        report('down');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    };
    report('connecting');
    void run();
    return () => {
      stopped = true;
      ctrl?.abort();
    };
  };
  return { api, subscribe };
}
