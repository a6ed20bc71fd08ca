import type { SyncOp } from '../../shared/http/push';
import type { ScreenshotContentType } from '../../shared/http/screenshots';

/**
 * What the sync engine needs from the outbox. The db/ repositories implement it over
 * better-sqlite3; engine tests may pass a real outbox on a temp file.
 * All instants are epoch milliseconds of the device clock.
 */
export interface ScreenshotJob {
  id: string;
  entryId: string | null;
  takenAt: number;
  displayId: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  /** base64, as Content-MD5 carries it */
  md5: string;
  contentType: ScreenshotContentType;
  /** Absolute path of the full image on disk. */
  filePath: string;
  attempts: number;
}

export interface OpJob {
  /** The op's UUIDv7 (also its id on the server). */
  id: string;
  op: SyncOp;
  attempts: number;
}

export interface UploadQueue {
  /** Atomically lease up to `limit` due screenshots (state captured, next_attempt_at <= now, no live lease). */
  claimScreenshots(limit: number, leaseMs: number, now: number): ScreenshotJob[];
  /** Server confirmed `complete`: state done; the file may now be deleted (or kept for review). */
  markScreenshotDone(id: string, now: number): void;
  /** Optional: the same for several rows in one transaction (one fsync instead of one per row). */
  markScreenshotsDone?(ids: string[], now: number): void;
  /** Transient failure: back to the queue at `nextAttemptAt`, attempts + 1 unless `countAttempt` is false. */
  retryScreenshot(id: string, nextAttemptAt: number, error: string, countAttempt: boolean): void;
  /** Permanent failure: a visible dead letter that never blocks the rows behind it. */
  deadScreenshot(id: string, reason: string, now: number): void;

  claimOps(limit: number, leaseMs: number, now: number): OpJob[];
  markOpsDone(ids: string[], now: number): void;
  retryOps(ids: string[], nextAttemptAt: number, error: string, countAttempt: boolean): void;
  deadOp(id: string, reason: string, now: number): void;

  /** Dead letters back to the queue (all, or one by id). */
  requeueDead(id: string | undefined, now: number): number;
}
