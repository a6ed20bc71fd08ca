import type { HostSignal } from '../../shared/tracker-port-protocol';
import type { IdleSource } from './ports';

/**
 * What the shell tells the core about the person's presence: the screen locked or the machine
 * asleep means nobody works, whatever the OS idle counter says (it can reset on wake). While
 * away, idle time counts from the moment they left, so an idle span opens at the lock (or at the
 * last input before it); after the return, the first reading still says "away since then" so a
 * short absence is not lost between two polls, and the next real reading closes the span at the
 * first input after the return. Capture is paused while away or while the OS forbids it.
 */
export function createHostPresence(o: { now(): number; osIdleMs(): Promise<number> }) {
  let awaySince: number | null = null;
  let returnedFrom: number | null = null;
  let blocked: string | null = null;
  const idle: IdleSource = {
    async idleMs() {
      const now = o.now();
      if (awaySince !== null) return Math.max(now - awaySince, await o.osIdleMs().catch(() => 0));
      if (returnedFrom !== null) {
        const since = returnedFrom;
        returnedFrom = null;
        return now - since;
      }
      return o.osIdleMs();
    },
  };
  return {
    idle,
    apply(signal: HostSignal): void {
      if (signal.type === 'capture-blocked') blocked = signal.reason;
      if (signal.type !== 'power') return;
      if (signal.state === 'lock' || signal.state === 'suspend') awaySince ??= signal.at;
      else if (awaySince !== null) {
        returnedFrom = awaySince;
        awaySince = null;
      }
    },
    /** Why capture must not run now (away, or no permission to record the screen), else null. */
    capturePaused(): string | null {
      if (awaySince !== null) return 'the screen is locked or the computer is asleep';
      return blocked;
    },
  };
}
export type HostPresence = ReturnType<typeof createHostPresence>;
