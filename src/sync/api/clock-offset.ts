/**
 * The device's estimate of (server clock − device clock), measured from the Date header of
 * server responses. Date has one-second resolution, so a sample is the header + 500 ms against
 * the midpoint of the request's round trip; the offset only moves when the median of recent
 * samples disagrees by more than `toleranceMs`, so stamped times do not jitter between requests.
 */
export interface ClockOffsetState {
  offsetMs: number;
  measuredAt: number | null;
}

export class ClockOffset {
  private samples: number[] = [];
  private state: ClockOffsetState;

  constructor(
    private readonly deviceNow: () => number = Date.now,
    initial: ClockOffsetState = { offsetMs: 0, measuredAt: null },
    private readonly onChange: (state: ClockOffsetState) => void = () => {},
    private readonly toleranceMs = 2_000,
    private readonly window = 7,
  ) {
    this.state = { ...initial };
  }

  get offsetMs(): number {
    return this.state.offsetMs;
  }

  get snapshot(): ClockOffsetState {
    return { ...this.state };
  }

  /** Device time corrected to the server's clock. */
  now(): number {
    return this.deviceNow() + this.state.offsetMs;
  }

  /** Record one response: `sentAt`/`receivedAt` are device times around the request. */
  observe(dateHeader: string | undefined | null, sentAt: number, receivedAt: number): void {
    if (!dateHeader) return;
    const serverAt = Date.parse(dateHeader);
    if (Number.isNaN(serverAt) || receivedAt < sentAt) return;
    // A slow round trip says little about when the server stamped the header.
    if (receivedAt - sentAt > 5_000) return;
    const sample = serverAt + 500 - (sentAt + receivedAt) / 2;
    this.samples.push(sample);
    if (this.samples.length > this.window) this.samples.shift();
    const sorted = [...this.samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? sample;
    const first = this.state.measuredAt === null;
    if (first || Math.abs(median - this.state.offsetMs) > this.toleranceMs) {
      this.state = { offsetMs: Math.round(median), measuredAt: receivedAt };
      this.onChange(this.snapshot);
    }
  }
}
