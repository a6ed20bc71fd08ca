import type { Clock } from '../clock';

/**
 * Idle workers sleep until their poll interval ends or `wake()` is called (new rows, a retry
 * action, stop). Each sleeper leaves the waker set when it wakes either way, so a long idle
 * stretch does not pile up callbacks.
 */
export class WakeSignal {
  private sleepers = new Set<() => void>();

  constructor(
    private readonly timers: Clock,
    private readonly signal: AbortSignal,
  ) {}

  wake(): void {
    const current = this.sleepers;
    this.sleepers = new Set();
    for (const wakeOne of current) wakeOne();
  }

  /** Resolves after `ms`, on `wake()`, or at once when the engine is stopping. */
  async idle(ms: number): Promise<void> {
    if (this.signal.aborted) return;
    const local = new AbortController();
    const stop = () => local.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    let done!: () => void;
    try {
      await new Promise<void>((resolve) => {
        done = resolve;
        this.sleepers.add(resolve);
        this.timers.sleep(ms, local.signal).then(resolve, resolve);
      });
    } finally {
      this.sleepers.delete(done);
      this.signal.removeEventListener('abort', stop);
      local.abort();
    }
  }
}
