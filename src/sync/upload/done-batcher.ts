import type { EngineContext } from './engine-context';
import type { ScreenshotJob } from '../db/outbox-port';

/** A batch collects this long: one fsync per ~10 uploads at drain speed; a kill costs at most these replays. */
const FLUSH_AFTER_MS = 100;

/**
 * After `complete`: mark the row done and remove its file. Done marks are written in small batches
 * when the outbox can (one fsync per batch, not per row); until then a row stays leased, and a kill
 * only costs a replay that the server answers "stored". The worker moves on at once; `drain()`
 * waits until no batch is pending or being written.
 */
export class DoneBatcher {
  private batch: ScreenshotJob[] = [];
  private flushing: Promise<void> | null = null;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly ctx: EngineContext,
    private readonly removeFile: (job: ScreenshotJob) => Promise<void>,
  ) {}

  async confirmed(job: ScreenshotJob): Promise<void> {
    const { queue, timers, outcomes } = this.ctx;
    if (!queue.markScreenshotsDone) {
      queue.markScreenshotDone(job.id, timers.now());
      // The upload stands either way; a file left behind goes with housekeeping's sweep of done files.
      await this.removeFile(job).catch(() => undefined);
      return outcomes.succeeded(1);
    }
    this.batch.push(job);
    this.schedule();
  }

  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private schedule(): void {
    if (this.flushing) return;
    // The first upload after a quiet spell is recorded (and reported) at once; a drain's uploads batch up.
    const quiet = performance.now() - this.lastFlushAt > FLUSH_AFTER_MS;
    this.flushing = new Promise<void>((resolve) => setTimeout(resolve, quiet ? 0 : FLUSH_AFTER_MS))
      .then(() => this.flush())
      .finally(() => {
        this.lastFlushAt = performance.now();
        this.flushing = null;
        if (this.batch.length) this.schedule();
      });
  }

  private async flush(): Promise<void> {
    const { queue, timers, status, outcomes } = this.ctx;
    const jobs = this.batch.splice(0);
    try {
      queue.markScreenshotsDone!(jobs.map((j) => j.id), timers.now());
    } catch (err) {
      status.update({ lastError: `could not record uploads in the outbox: ${(err as Error).message}` });
      return;
    }
    await Promise.all(jobs.map((j) => this.removeFile(j).catch(() => undefined)));
    outcomes.succeeded(jobs.length);
  }
}
