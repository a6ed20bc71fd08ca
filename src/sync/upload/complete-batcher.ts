import { MAX_BATCH_ITEMS } from '../../shared/http/screenshot-batch';
import { ItemRefusedError } from '../api/http-failure';
import type { ScreenshotJob } from '../db/outbox-port';
import { inFlight, type EngineContext } from './engine-context';

/** A partly filled batch waits at most this long for more PUTs to finish before it is sent. */
const MAX_WAIT_MS = 250;

export interface CompleteBatcherDeps {
  /** The server has the screenshot: mark it done. */
  confirmed(job: ScreenshotJob): Promise<void>;
  /** The complete failed for these jobs (the request, or their items): their fate is decided by the caller. */
  failed(jobs: ScreenshotJob[], err: unknown): Promise<void>;
}

/**
 * Confirms finished PUTs in batches of up to 100 (one request, one PostgreSQL transaction): a
 * batch goes when it is full, when nothing else is uploading (a lone screenshot is not held back),
 * or after a short wait. Several batches may be in flight while PUTs go on.
 */
export class CompleteBatcher {
  private buffer: ScreenshotJob[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: CompleteBatcherDeps,
  ) {}

  /** `quiet`: no other PUT is queued or running, so waiting would only add latency. */
  add(job: ScreenshotJob, quiet: boolean): void {
    this.buffer.push(job);
    if (quiet || this.buffer.length >= MAX_BATCH_ITEMS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), MAX_WAIT_MS);
  }

  /** The jobs not sent yet (on stop): the caller gives them back to the queue; a replay re-PUTs them. */
  takeUnsent(): ScreenshotJob[] {
    this.clearTimer();
    return this.buffer.splice(0);
  }

  async drain(): Promise<void> {
    while (this.sending.size) await Promise.all([...this.sending]);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.clearTimer();
    while (this.buffer.length) {
      const jobs = this.buffer.splice(0, MAX_BATCH_ITEMS);
      const p = inFlight(this.ctx, () => this.send(jobs)).finally(() => this.sending.delete(p));
      this.sending.add(p);
    }
  }

  private async send(jobs: ScreenshotJob[]): Promise<void> {
    const { client, outcomes, signal } = this.ctx;
    let items;
    try {
      items = await outcomes.withRetries(() => client.completeScreenshots(jobs.map((j) => j.id), signal));
    } catch (err) {
      return this.deps.failed(jobs, err);
    }
    await Promise.all(
      items.map((item, i) => {
        const job = jobs[i] as ScreenshotJob;
        return item.status === 'stored' ? this.deps.confirmed(job) : this.deps.failed([job], new ItemRefusedError(item.problem));
      }),
    );
  }
}
