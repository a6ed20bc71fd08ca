export type IdleTransition =
  | { type: 'opened'; startedAt: number }
  | { type: 'closed'; startedAt: number; endedAt: number }
  | null;

/**
 * Idle spans from "milliseconds since last input" samples: a span opens once no input came
 * for `thresholdMs`, and starts at the last input (not at the threshold); it closes at the
 * first input after it.
 */
export const JITTER_MS = 2000;

export function createIdleDetector(thresholdMs: () => number) {
  let openSince: number | null = null;
  return {
    sample(now: number, idleMs: number): IdleTransition {
      const lastInput = now - idleMs;
      if (openSince === null) {
        if (idleMs >= thresholdMs()) {
          openSince = lastInput;
          return { type: 'opened', startedAt: lastInput };
        }
        return null;
      }
      // Samples jitter by up to a poll interval; only input clearly after the span start ends it.
      if (lastInput > openSince + JITTER_MS) {
        const span = { type: 'closed' as const, startedAt: openSince, endedAt: lastInput };
        openSince = null;
        return span;
      }
      return null;
    },
    isOpen: () => openSince !== null,
    reset(): void {
      openSince = null;
    },
  };
}
