import type { CreateScreenshotRequest } from '../../shared/http/screenshots';
import type { BlobUploader } from '../api/blob-upload';
import { toHttpFailure } from '../api/http-failure';
import type { ServerClient } from '../api/server-client';
import { classifyFailure } from './failure-classifier';
import type { ScreenshotJob } from '../db/outbox-port';

/** Thrown when the blob store, not the API server, failed: the engine probes that origin instead. */
export class BlobStoreError extends Error {
  constructor(
    readonly origin: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'BlobStoreError';
  }
}

/** A presigned URL expired before its PUT landed (a stall, a long queue): ask again, never a dead letter. */
export class UrlExpiredAgainError extends Error {}

export interface ScreenshotJobDeps {
  client: ServerClient;
  blob: BlobUploader;
  deviceId: string;
  /** Server-corrected now, to judge a presigned URL's expiry. */
  serverNow: () => number;
  /** Called with the blob origin once known (the engine probes it when it stops answering). */
  onBlobOrigin?: (origin: string) => void;
}

const MAX_FRESH_URLS = 3;

export function screenshotRequest(job: ScreenshotJob, deviceId: string): CreateScreenshotRequest {
  return {
    id: job.id,
    deviceId,
    entryId: job.entryId,
    takenAt: new Date(job.takenAt).toISOString(),
    displayId: job.displayId,
    width: job.width,
    height: job.height,
    bytes: job.bytes,
    sha256: job.sha256,
    md5: job.md5,
    contentType: job.contentType,
  };
}

/**
 * One screenshot's way to the server: declare it (presign), PUT the file straight to the blob
 * store, confirm `complete`. Every step is idempotent by the screenshot's id, so a replay after
 * any failure (or a kill) converges: the server answers `stored` once it has the object.
 * Returns the number of HTTP requests it made.
 */
export async function uploadScreenshot(job: ScreenshotJob, deps: ScreenshotJobDeps, signal?: AbortSignal): Promise<number> {
  const request = screenshotRequest(job, deps.deviceId);
  let requests = 0;
  for (let fresh = 0; fresh < MAX_FRESH_URLS; fresh++) {
    requests++;
    const created = await deps.client.createScreenshot(request, signal);
    if (created.status === 'stored') return requests;
    const { upload } = created;
    const origin = new URL(upload.url).origin;
    deps.onBlobOrigin?.(origin);
    try {
      requests++;
      await deps.blob.put(upload, job.filePath, job.bytes, signal);
    } catch (err) {
      const failure = classifyFailure(err, { blob: true, urlExpiresAt: Date.parse(upload.expiresAt), serverNow: deps.serverNow() });
      if (failure.kind === 'expired-url') continue;
      // A local file problem is this row's alone, not the blob store's.
      if (failure.kind === 'permanent' && failure.status === undefined) throw err;
      throw new BlobStoreError(origin, err);
    }
    requests++;
    try {
      await deps.client.completeScreenshot(job.id, signal);
    } catch (err) {
      // 409: the server's HEAD did not find the object our PUT reported (a lost write): send it again.
      if (toHttpFailure(err).status === 409 && fresh < MAX_FRESH_URLS - 1) continue;
      throw err;
    }
    return requests;
  }
  throw new UrlExpiredAgainError(`presigned URL expired ${MAX_FRESH_URLS} times in a row; trying again later`);
}
