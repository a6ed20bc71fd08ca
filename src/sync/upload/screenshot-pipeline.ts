import { MAX_BATCH_ITEMS, type DeclareBatchItem } from '../../shared/http/screenshot-batch';
import type { PresignedUpload } from '../../shared/http/screenshots';
import type { BlobUploader } from '../api/blob-upload';
import type { ClockOffset } from '../api/clock-offset';
import { ItemRefusedError } from '../api/http-failure';
import type { ScreenshotJob } from '../db/outbox-port';
import { CompleteBatcher } from './complete-batcher';
import { DoneBatcher } from './done-batcher';
import { inFlight, workerLoop, type EngineContext } from './engine-context';
import { putDeclared, screenshotRequest, type ScreenshotJobDeps } from './screenshot-job';

export interface ScreenshotPipelineOptions {
  /** PUTs already capped at the engine's concurrency. */
  blob: BlobUploader;
  clock: ClockOffset;
  /** PUTs at once (one worker each): the blob store's ceiling, the only per-screenshot request. */
  workers: number;
  removeFile: (job: ScreenshotJob) => Promise<void>;
}

interface Declared {
  job: ScreenshotJob;
  upload: PresignedUpload;
  at: number;
}

/**
 * Screenshots: claim up to 100 → declare them in one request → PUT each straight to the blob store
 * (at the engine's concurrency) → confirm them in batches → done. The next batch is declared while
 * the last PUTs of this one run, so the PUT workers never wait on the API. Screenshots do not wait
 * for ops: the server keeps a screenshot's entry id without requiring the entry.
 */
export class ScreenshotPipeline {
  private declared: Declared[] = [];
  private declaring: Promise<void> | null = null;
  private puts = 0;
  private readonly done: DoneBatcher;
  private readonly completes: CompleteBatcher;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: ScreenshotPipelineOptions,
  ) {
    this.done = new DoneBatcher(ctx, options.removeFile);
    this.completes = new CompleteBatcher(ctx, { confirmed: (job) => this.done.confirmed(job), failed: (jobs, err) => this.failed(jobs, err) });
  }

  workers(): Promise<void>[] {
    return Array.from({ length: this.options.workers }, () => this.worker());
  }

  /** After the workers ended: finish the batches in flight, write done marks, give back rows no PUT finished. */
  async drain(): Promise<void> {
    await this.declaring;
    await this.completes.drain();
    await this.done.drain();
    this.release([...this.declared.splice(0).map((d) => d.job), ...this.completes.takeUnsent()]);
  }

  private async worker(): Promise<void> {
    const { gate, wakes, idlePollMs } = this.ctx;
    await workerLoop(this.ctx, async () => {
      await gate.wait(true);
      const next = await this.next();
      if (!next) return wakes.idle(idlePollMs);
      this.puts++;
      let ok = false;
      try {
        await inFlight(this.ctx, async () => void (ok = await this.put(next)));
      } finally {
        this.puts--;
      }
      if (ok) this.completes.add(next.job, this.declared.length === 0 && this.puts === 0 && !this.declaring);
    });
  }

  /** The next declared screenshot; declares the next batch when few are left (before they run out). */
  private async next(): Promise<Declared | undefined> {
    if (this.declared.length <= this.options.workers * 2) this.declaring ??= this.declareMore().finally(() => (this.declaring = null));
    if (!this.declared.length) await this.declaring;
    this.releaseStale();
    return this.declared.shift();
  }

  /** Jobs that waited half their lease go back rather than risk a second claim of the same row. */
  private releaseStale(): void {
    const { timers, leaseMs } = this.ctx;
    const now = timers.now();
    const stale = this.declared.filter((d) => now - d.at > leaseMs / 2);
    if (!stale.length) return;
    this.declared = this.declared.filter((d) => now - d.at <= leaseMs / 2);
    this.release(stale.map((d) => d.job));
  }

  private release(jobs: ScreenshotJob[]): void {
    const { queue, timers } = this.ctx;
    for (const job of jobs) queue.retryScreenshot(job.id, timers.now(), 'released unstarted', false);
  }

  private async declareMore(): Promise<void> {
    const { queue, timers, leaseMs, client, outcomes, signal, gate } = this.ctx;
    if (signal.aborted) return;
    // One claim is one outbox write (an fsync), so a backlog is claimed a batch at a time.
    const jobs = queue.claimScreenshots(MAX_BATCH_ITEMS, leaseMs, timers.now());
    if (!jobs.length) return;
    await inFlight(this.ctx, async () => {
      let items: DeclareBatchItem[];
      try {
        items = await outcomes.withRetries(() => client.declareScreenshots(jobs.map((j) => screenshotRequest(j, gate.deviceId)), signal));
      } catch (err) {
        return this.failed(jobs, err);
      }
      const at = timers.now();
      const refused: Array<Promise<void>> = [];
      items.forEach((item, i) => {
        const job = jobs[i] as ScreenshotJob;
        if (item.status === 'upload') this.declared.push({ job, upload: item.upload, at });
        else if (item.status === 'stored') refused.push(this.done.confirmed(job));
        else refused.push(this.failed([job], new ItemRefusedError(item.problem)));
      });
      await Promise.all(refused);
    });
  }

  /** True when the PUT landed and the screenshot wants its complete; false when it is settled already. */
  private async put(d: Declared): Promise<boolean> {
    const { client, gate, signal, outcomes } = this.ctx;
    const deps: ScreenshotJobDeps = {
      client,
      blob: this.options.blob,
      deviceId: gate.deviceId,
      serverNow: () => this.options.clock.now(),
      onBlobOrigin: (origin: string) => gate.setBlobOrigin(origin),
    };
    try {
      if ((await outcomes.withRetries(() => putDeclared(d.job, d.upload, deps, signal))) === 'put') return true;
      await this.done.confirmed(d.job);
    } catch (err) {
      await this.failed([d.job], err);
    }
    return false;
  }

  /** One classification for the failure (it is the same request's), each row's fate by its own attempts. */
  private async failed(jobs: ScreenshotJob[], err: unknown): Promise<void> {
    const { queue, timers, outcomes } = this.ctx;
    if (!jobs.length) return;
    const failure = await outcomes.failed(err, Math.min(...jobs.map((j) => j.attempts)));
    for (const job of jobs) {
      outcomes.settle(
        failure,
        job.attempts,
        (at, count) => queue.retryScreenshot(job.id, at, failure.reason, count),
        () => queue.deadScreenshot(job.id, failure.reason, timers.now()),
      );
    }
  }
}
