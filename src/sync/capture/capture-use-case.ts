import type { CapturePolicy } from '../../shared/policy';
import type { TrackerEvent } from '../../shared/tracker-api';
import type { Clock } from '../clock';
import type { Db } from '../db/open-db';
import type { ScreenshotsRepository } from '../db/screenshots.repository';
import { faultPoint } from '../test-hooks/fault-point';
import type { CaptureWorker } from './capture-worker-client';
import { deletableUntilMs } from './delete-window';

const iso = (ms: number) => new Date(ms).toISOString();

export interface CaptureUseCaseDeps {
  clock: Clock;
  db: Db;
  shots: ScreenshotsRepository;
  worker: CaptureWorker;
  policy(): CapturePolicy;
  /** The entry the shots belong to (the running one), read when the capture starts. */
  entryId(): string | null;
  /** A new screenshot is durable in the outbox: wake the sync engine. */
  notifySync(): void;
  log(line: string): void;
  emit(e: TrackerEvent): void;
}

/**
 * One capture, in the order crash safety needs: files durable (worker) → rows committed → sync
 * woken → capture event. Captures run one after another; a failure is reported, never thrown.
 */
export function createCaptureUseCase(d: CaptureUseCaseDeps) {
  let lastError: string | null = null;
  let inflight: Promise<unknown> = Promise.resolve();

  const captureAt = async (at: number): Promise<number> => {
    const entryId = d.entryId();
    try {
      const files = await d.worker.shoot(at, { blur: d.policy().blurScreenshots });
      faultPoint('after-rename');
      d.db.transaction(() => files.forEach((f) => d.shots.insert({ ...f, entryId })))();
      faultPoint('after-insert');
      d.notifySync();
      lastError = null;
      for (const f of files) {
        d.log(`capture ${f.id} display=${f.displayId} ${f.width}x${f.height} ${Math.round(f.bytes / 1024)} KB`);
        const { id, takenAt, displayId, width, height } = f;
        d.emit({
          type: 'capture',
          screenshot: { id, takenAt: iso(takenAt), displayId, width, height, state: 'captured', deletableUntil: iso(deletableUntilMs(takenAt, d.policy())) },
        });
      }
      return files.length;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      d.log(`capture failed: ${lastError}`);
      d.emit({ type: 'capture-failed', reason: lastError, at: iso(d.clock.now()) });
      return 0;
    }
  };

  return {
    /** Capture all displays now, after any capture still running. Resolves to the number of shots. */
    captureNow(): Promise<number> {
      const p = inflight.then(() => captureAt(d.clock.now()));
      inflight = p.catch(() => undefined);
      return p;
    },
    lastError: (): string | null => lastError,
    /** Resolves once no capture is running (shutdown waits for it before closing the database). */
    drain: (): Promise<unknown> => inflight,
  };
}
export type CaptureUseCase = ReturnType<typeof createCaptureUseCase>;
