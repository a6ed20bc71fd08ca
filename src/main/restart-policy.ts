/**
 * When the core process dies: restart after 1 s, 2 s, 4 s … capped at 60 s; a core that stayed up
 * for `healthyMs` starts the count again. Pure, so the schedule is tested without Electron.
 */
export function createRestartPolicy(o: { now(): number; baseMs?: number; capMs?: number; healthyMs?: number }) {
  const base = o.baseMs ?? 1_000;
  const cap = o.capMs ?? 60_000;
  const healthy = o.healthyMs ?? 120_000;
  let failures = 0;
  let startedAt = o.now();
  return {
    started(): void {
      startedAt = o.now();
    },
    /** The delay before the next start, after a crash now. */
    crashed(): number {
      if (o.now() - startedAt >= healthy) failures = 0;
      const delay = Math.min(cap, base * 2 ** failures);
      failures += 1;
      return delay;
    },
    failures: () => failures,
  };
}

/** A crash in words for the tray and the window: what ended the core, and when it comes back. */
export function crashReason(exit: { code: number | null; reason?: string | undefined }, delayMs: number): string {
  const how = exit.reason && exit.reason !== 'clean-exit' ? exit.reason : `exit code ${exit.code ?? 'none'}`;
  return `the tracker core stopped (${how}); restarting in ${Math.round(delayMs / 1000)} s`;
}
