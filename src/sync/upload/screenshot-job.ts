import type { CreateScreenshotRequest, PresignedUpload } from '../../shared/http/screenshots';
import type { BlobUploader } from '../api/blob-upload';
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
 * PUT one declared screenshot's file straight to the blob store. A URL that expired before its PUT
 * landed (a stall, a long queue) is asked for again with the single-item declaration, which may
 * also answer that the server has it already. Every step is idempotent by the screenshot's id.
 */
export async function putDeclared(job: ScreenshotJob, first: PresignedUpload, deps: ScreenshotJobDeps, signal?: AbortSignal): Promise<'put' | 'stored'> {
  let upload = first;
  for (let fresh = 0; fresh < MAX_FRESH_URLS; fresh++) {
    if (fresh > 0) {
      const created = await deps.client.createScreenshot(screenshotRequest(job, deps.deviceId), signal);
      if (created.status === 'stored') return 'stored';
      upload = created.upload;
    }
    const origin = new URL(upload.url).origin;
    deps.onBlobOrigin?.(origin);
    try {
      await deps.blob.put(upload, job.filePath, job.bytes, signal);
      return 'put';
    } catch (err) {
      const failure = classifyFailure(err, { blob: true, urlExpiresAt: Date.parse(upload.expiresAt), serverNow: deps.serverNow() });
      if (failure.kind === 'expired-url') continue;
      // A local file problem is this row's alone, not the blob store's.
      if (failure.kind === 'permanent' && failure.status === undefined) throw err;
      throw new BlobStoreError(origin, err);
    }
  }
  throw new UrlExpiredAgainError(`presigned URL expired ${MAX_FRESH_URLS} times in a row; trying again later`);
}
