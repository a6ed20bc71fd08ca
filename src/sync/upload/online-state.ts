import type { Clock } from '../clock';

export interface ProbePolicy {
  /** First probe after going offline. */
  firstMs: number;
  /** Probes never get further apart than this, so service resumes within it of the server answering. */
  capMs: number;
}

export const defaultProbePolicy: ProbePolicy = { firstMs: 250, capMs: 1_000 };

/**
 * Whether one origin (the API server, the blob store) answers. A request that finds nothing
 * there marks it offline; from then on only a cheap probe runs, on a backoff from `firstMs` up to
 * `capMs`, until something answers (so at most 60_000 / capMs + a few requests per minute).
 * Anything answering (a probe or any request) brings it back at once and wakes all waiters.
 */
export class OnlineMonitor {
  private offlineSince: number | null = null;
  private waiters: Array<() => void> = [];
  private probing = false;
  probes = 0;

  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly timers: Clock,
    private readonly policy: ProbePolicy = defaultProbePolicy,
    private readonly onChange: (online: boolean) => void = () => {},
    private readonly signal?: AbortSignal,
  ) {}

  get online(): boolean {
    return this.offlineSince === null;
  }

  markOnline(): void {
    if (this.offlineSince === null) return;
    this.offlineSince = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    this.onChange(true);
  }

  markOffline(): void {
    if (this.offlineSince !== null) return;
    this.offlineSince = this.timers.now();
    this.onChange(false);
    void this.probeLoop();
  }

  /** A hint from the platform (Electron's net.isOnline, a network change): probe now. */
  nudge(): void {
    if (this.offlineSince !== null) void this.probeOnce();
  }

  whenOnline(signal?: AbortSignal): Promise<void> {
    if (this.offlineSince === null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async probeOnce(): Promise<void> {
    this.probes++;
    if (await this.probe().catch(() => false)) this.markOnline();
  }

  private async probeLoop(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      let delay = this.policy.firstMs;
      while (this.offlineSince !== null && !this.signal?.aborted) {
        await this.timers.sleep(delay, this.signal).catch(() => undefined);
        if (this.offlineSince === null || this.signal?.aborted) break;
        await this.probeOnce();
        delay = Math.min(this.policy.capMs, delay * 2);
      }
    } finally {
      this.probing = false;
    }
  }
}
