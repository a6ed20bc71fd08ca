import type { Clock, TimerHandle } from '../clock';

export interface FakeClock extends Clock {
  /** Move time forward, firing due timers in order and letting their promises settle. */
  advance(ms: number): Promise<void>;
  pending(): number;
}

/** Time moves only when `advance` is called; timers and sleepers fire in deadline order. */
export function createFakeClock(start = Date.parse('2026-03-02T09:00:00.000Z')): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<object, { at: number; seq: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  };
  const setTimer = (fn: () => void, ms: number): TimerHandle => {
    const h = {};
    timers.set(h, { at: now + Math.max(0, ms), seq: seq++, fn });
    return h as TimerHandle;
  };
  return {
    now: () => now,
    setTimeout: setTimer,
    clearTimeout(h) {
      timers.delete(h as object);
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          timers.delete(handle);
          reject(signal?.reason);
        };
        const handle = setTimer(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    pending: () => timers.size,
    async advance(ms) {
      const end = now + ms;
      for (let guard = 0; guard < 1_000_000; guard++) {
        let next: [object, { at: number; seq: number; fn: () => void }] | undefined;
        for (const e of timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[1].seq < next[1].seq))) next = e;
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}
