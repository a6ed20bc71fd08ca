import type { Clock, TimerHandle } from '../clock';

export interface FakeClock extends Clock {
  /** Move time forward, firing due timers in order and letting their promises settle. */
  advance(ms: number): Promise<void>;
  pending(): number;
}

export function createFakeClock(start: number): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<object, { at: number; seq: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const h = {};
      timers.set(h, { at: now + Math.max(0, ms), seq: seq++, fn });
      return h as TimerHandle;
    },
    clearTimeout(h) {
      timers.delete(h as object);
    },
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
