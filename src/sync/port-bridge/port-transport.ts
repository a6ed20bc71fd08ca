import {
  TrackerError,
  trackerApi,
  trackerEventSchema,
  trackerMethods,
  type TrackerApi,
  type TrackerEvent,
  type TrackerHandlers,
  type TrackerMethod,
} from '../../shared/tracker-api';
import { portMessageSchema, type HostSignal, type PortMessage } from '../../shared/tracker-port-protocol';
import { callHandler } from '../tracker-handlers';

/**
 * One message channel, whatever carries it: an Electron MessagePortMain, a utilityProcess's
 * parentPort, or a forked child's IPC channel (tests). Messages are structured-clone data.
 */
export interface PortChannel {
  post(message: PortMessage): void;
  /** Returns the unsubscribe. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** What the core side needs to serve: the handler table, its events, and where host signals go. */
export interface PortServeOptions {
  onHost?(signal: HostSignal): void;
  log?(line: string): void;
}

const isKnownMethod = (m: string): m is TrackerMethod => (trackerMethods as readonly string[]).includes(m);

/**
 * The core end: every `call` runs through callHandler (input validated with the table's schema,
 * output checked with its output schema) and is answered with `result` or `failure`; every
 * TrackerEvent is posted as `event`. Also lets the core ask the host for the OS idle time, which
 * it needs while the tracker starts: `attach` the tracker's table once it exists (calls before
 * that fail as 'unavailable'), and it says `ready` then.
 */
export function servePort(channel: PortChannel, o: PortServeOptions) {
  const asks = new Map<number, (v: number) => void>();
  let nextAsk = 1;
  let handlers: TrackerHandlers | null = null;
  let offEvents = () => undefined as void;
  const ask = (question: { what: 'idle-ms' | 'login-item'; set?: boolean }, what: string, timeoutMs: number) => {
    const id = nextAsk++;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        asks.delete(id);
        reject(new Error(`the shell did not answer ${what}`));
      }, timeoutMs);
      asks.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      channel.post({ kind: 'ask', id, ...question });
    });
  };
  const off = channel.onMessage((raw) => {
    const parsed = portMessageSchema.safeParse(raw);
    if (!parsed.success) return o.log?.(`port: dropped a malformed message: ${parsed.error.issues[0]?.message ?? ''}`);
    const m = parsed.data;
    if (m.kind === 'host') return o.onHost?.(m.signal);
    if (m.kind === 'answer') {
      asks.get(m.id)?.(m.value);
      asks.delete(m.id);
      return;
    }
    if (m.kind !== 'call') return;
    const { id, method } = m;
    if (!isKnownMethod(method)) {
      return channel.post({ kind: 'failure', id, error: new TrackerError('not_found', `unknown TrackerApi method: ${method}`).toJSON() });
    }
    if (!handlers) return channel.post({ kind: 'failure', id, error: new TrackerError('unavailable', 'the tracker core is still starting').toJSON() });
    callHandler(handlers, method, m.input)
      .then((output) => channel.post({ kind: 'result', id, output: trackerApi[method].output.parse(output) }))
      .catch((err: unknown) => {
        const error = err instanceof TrackerError ? err : new TrackerError('internal', (err as Error).message);
        if (!(err instanceof TrackerError)) o.log?.(`port: ${method} failed: ${(err as Error).stack ?? err}`);
        channel.post({ kind: 'failure', id, error: error.toJSON() });
      });
  });
  return {
    attach(table: TrackerHandlers, subscribe: (listener: (e: TrackerEvent) => void) => () => void): void {
      handlers = table;
      offEvents = subscribe((event) => channel.post({ kind: 'event', event }));
      channel.post({ kind: 'ready' });
    },
    /** Ask the host (main) how long since the last input; rejects after `timeoutMs` with no answer. */
    askIdleMs(timeoutMs = 2_000): Promise<number> {
      return ask({ what: 'idle-ms' }, 'the idle-time question', timeoutMs);
    },
    /** Ask the host whether Stint starts at login; with `set`, turn it on or off first. */
    async askLoginItem(set?: boolean, timeoutMs = 5_000): Promise<boolean> {
      const value = await ask({ what: 'login-item', ...(set === undefined ? {} : { set }) }, 'the login-item question', timeoutMs);
      if (value === -1) throw new Error('the shell could not read its login items');
      return value === 1;
    },
    close(): void {
      off();
      offEvents();
    },
  };
}

export interface PortClientOptions {
  /** Answers the core's idle-time question (main: powerMonitor.getSystemIdleTime() * 1000). */
  idleMs?(): number;
  /** Answers the core's login-item question (main: app.get/setLoginItemSettings); `set` changes it first. */
  loginItem?(set: boolean | undefined): boolean;
  log?(line: string): void;
}

/**
 * The host end, generated from the method list: one async function per TrackerApi method, and
 * the core's events. Outputs and events are validated again here, so a core of another build
 * cannot hand the window malformed data. `failAll` rejects what is in flight (the core died).
 */
export function createPortClient(channel: PortChannel, o: PortClientOptions = {}) {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: TrackerMethod }>();
  const listeners = new Set<(e: TrackerEvent) => void>();
  let nextId = 1;
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const answer = (what: 'idle-ms' | 'login-item', set: boolean | undefined): number => {
    if (what === 'idle-ms') return o.idleMs?.() ?? 0;
    const read = (change: boolean | undefined) => (o.loginItem?.(change) ? 1 : 0);
    try {
      return read(set);
    } catch (err) {
      o.log?.(`port: the login item could not be ${set === undefined ? 'read' : 'changed'}: ${(err as Error).message}`);
      // What it is now, so the core sees its change did not happen; -1 when even that cannot be read.
      try {
        return set === undefined ? -1 : read(undefined);
      } catch {
        return -1;
      }
    }
  };
  const off = channel.onMessage((raw) => {
    const parsed = portMessageSchema.safeParse(raw);
    if (!parsed.success) return o.log?.(`port: dropped a malformed message: ${parsed.error.issues[0]?.message ?? ''}`);
    const m = parsed.data;
    if (m.kind === 'ready') return readyResolve();
    if (m.kind === 'event') return listeners.forEach((l) => l(trackerEventSchema.parse(m.event)));
    if (m.kind === 'ask') return channel.post({ kind: 'answer', id: m.id, value: answer(m.what, m.set) });
    if (m.kind !== 'result' && m.kind !== 'failure') return;
    const call = pending.get(m.id);
    if (!call) return;
    pending.delete(m.id);
    if (m.kind === 'failure') return call.reject(new TrackerError(m.error.code, m.error.message, m.error.issues));
    const out = trackerApi[call.method].output.safeParse(m.output);
    if (out.success) call.resolve(out.data);
    else call.reject(new TrackerError('internal', `${call.method}: the core answered with data that does not fit the contract`));
  });
  const invoke = (method: TrackerMethod, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      channel.post({ kind: 'call', id, method, input: input ?? {} });
    });
  const api = Object.fromEntries(trackerMethods.map((m) => [m, (input: unknown) => invoke(m, input)])) as unknown as TrackerApi;
  return {
    api,
    ready,
    onEvent(listener: (e: TrackerEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    host(signal: HostSignal): void {
      channel.post({ kind: 'host', signal });
    },
    failAll(reason: string): void {
      for (const call of pending.values()) call.reject(new TrackerError('unavailable', reason));
      pending.clear();
    },
    close(): void {
      off();
    },
  };
}
export type PortClient = ReturnType<typeof createPortClient>;
