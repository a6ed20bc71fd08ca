import type { Clock, TimerHandle } from '../clock';
import type { ActiveWindow, IdleSource } from './ports';
import { createMinuteAccumulator, type MinuteActivity } from './minute-accumulator';
import { createIdleDetector, type IdleTransition } from '../idle/idle-detector';

export const SAMPLE_MS = 1000;
/** A second counts as active if input came within this long (aw-watcher's pulsetime: max(1.5 poll, poll + 1 s)). */
export const PULSE_MS = Math.max(SAMPLE_MS * 1.5, SAMPLE_MS + 1000);

export interface ActivitySamplerDeps {
  clock: Clock;
  idle: IdleSource;
  windows: ActiveWindow;
  /** The running entry's id, or null when the timer is stopped. */
  tracking: () => string | null;
  idleThresholdMs: () => number;
  recordTitles: () => boolean;
  onMinute: (m: MinuteActivity, entryId: string | null) => void;
  onIdle: (t: Exclude<IdleTransition, null>, entryId: string | null) => void;
  onError: (err: Error) => void;
}

/** Samples idle time and the front window once a second while the timer runs. */
export function createActivitySampler(deps: ActivitySamplerDeps) {
  const acc = createMinuteAccumulator();
  const detector = createIdleDetector(deps.idleThresholdMs);
  let entryOfMinute: string | null = null;
  let timer: TimerHandle | null = null;
  let running = false;
  let lastIdleMs = 0;
  let lastError: string | null = null;

  const emitMinute = (m: MinuteActivity | null) => {
    if (m && m.trackedSeconds > 0) deps.onMinute(m, entryOfMinute);
  };

  const tick = async () => {
    const at = deps.clock.now();
    const entryId = deps.tracking();
    try {
      const [idleMs, win] = await Promise.all([deps.idle.idleMs(), deps.windows.current().catch(() => null)]);
      lastIdleMs = idleMs;
      lastError = null;
      // The sample taken at `at` speaks for the second that just ended.
      const done = acc.add({
        at: at - SAMPLE_MS,
        active: idleMs <= PULSE_MS,
        tracked: entryId !== null,
        app: win?.app ?? null,
        title: win && deps.recordTitles() ? win.title : null,
      });
      emitMinute(done);
      entryOfMinute = entryId ?? entryOfMinute;
      const t = entryId !== null || detector.isOpen() ? detector.sample(at, idleMs) : null;
      if (t) deps.onIdle(t, entryId);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (e.message !== lastError) deps.onError(e);
      lastError = e.message;
    }
  };

  const loop = () => {
    if (!running) return;
    timer = deps.clock.setTimeout(() => {
      void tick().finally(loop);
    }, SAMPLE_MS - (deps.clock.now() % SAMPLE_MS) || SAMPLE_MS);
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop();
    },
    /** Stops sampling and stores the minute in progress. */
    stop() {
      running = false;
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
      emitMinute(acc.flush());
    },
    /** Closes the minute in progress now (timer stopped) so it is stored with its entry. */
    flushMinute() {
      emitMinute(acc.flush());
    },
    current: (): MinuteActivity | null => acc.peek(),
    idleMs: () => lastIdleMs,
    idleOpen: () => detector.isOpen(),
    resetIdle: () => detector.reset(),
  };
}
export type ActivitySampler = ReturnType<typeof createActivitySampler>;
