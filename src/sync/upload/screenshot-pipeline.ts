import type { BlobUploader } from '../api/blob-upload';
import type { ClockOffset } from '../api/clock-offset';
import { DoneBatcher } from './done-batcher';
import { inFlight, workerLoop, type EngineContext } from './engine-context';
import type { ScreenshotJob } from '../db/outbox-port';
import { uploadScreenshot } from './screenshot-job';

/** Rows leased per claim: a claim is an outbox write (an fsync), so a backlog is claimed in few of them. */
const CLAIM_BATCH = 32;

export interface ScreenshotPipelineOptions {
  /** PUTs already capped at the engine's concurrency. */
  blob: BlobUploader;
  clock: ClockOffset;
  /** Screenshots in flight at once (one worker each). */
  workers: number;
  removeFile: (job: ScreenshotJob) => Promise<void>;
}

/**
 * Screenshots: claim → presign → PUT → complete → done. Screenshots do not wait for ops: the server
 * keeps a screenshot's entry id without requiring the entry. One claim (one outbox transaction)
 * serves all workers: claims cost an fsync each.
 */
export class ScreenshotPipeline {
  private claimed: { jobs: ScreenshotJob[]; at: number } = { jobs: [], at: 0 };
  private readonly done: DoneBatcher;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: ScreenshotPipelineOptions,
  ) {
    this.done = new DoneBatcher(ctx, options.removeFile);
  }

  workers(): Promise<void>[] {
    return Array.from({ length: this.options.workers }, () => this.worker());
  }

  /** After the workers ended: write pending done marks, give back claimed rows no worker started. */
  async drain(): Promise<void> {
    await this.done.drain();
    this.releaseClaimed();
  }

  private async worker(): Promise<void> {
    const { gate, wakes, idlePollMs } = this.ctx;
    await workerLoop(this.ctx, async () => {
      await gate.wait(true);
      const job = this.next();
      if (!job) return wakes.idle(idlePollMs);
      await inFlight(this.ctx, () => this.run(job));
    });
  }

  private next(): ScreenshotJob | undefined {
    const { queue, timers, leaseMs } = this.ctx;
    const now = timers.now();
    // Jobs that waited half their lease go back rather than risk a second claim of the same row.
    if (this.claimed.jobs.length && now - this.claimed.at > leaseMs / 2) this.releaseClaimed();
    if (!this.claimed.jobs.length) this.claimed = { jobs: queue.claimScreenshots(Math.max(CLAIM_BATCH, this.options.workers), leaseMs, now), at: now };
    return this.claimed.jobs.shift();
  }

  private releaseClaimed(): void {
    const { queue, timers } = this.ctx;
    for (const job of this.claimed.jobs.splice(0)) queue.retryScreenshot(job.id, timers.now(), 'released unstarted', false);
  }

  private async run(job: ScreenshotJob): Promise<void> {
    const { queue, client, gate, timers, signal, outcomes } = this.ctx;
    const deps = {
      client,
      blob: this.options.blob,
      deviceId: gate.deviceId,
      serverNow: () => this.options.clock.now(),
      onBlobOrigin: (origin: string) => gate.setBlobOrigin(origin),
    };
    try {
      await outcomes.withRetries(() => uploadScreenshot(job, deps, signal));
    } catch (err) {
      const failure = await outcomes.failed(err, job.attempts);
      outcomes.settle(
        failure,
        job.attempts,
        (at, count) => queue.retryScreenshot(job.id, at, failure.reason, count),
        () => queue.deadScreenshot(job.id, failure.reason, timers.now()),
      );
      return;
    }
    await this.done.confirmed(job);
  }
}
