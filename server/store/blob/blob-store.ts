import type { PresignedUpload } from '../../../src/shared/http/screenshots';

export interface PutConstraints {
  contentLength: number;
  /** Base64 MD5 the store must check the body against. */
  contentMd5: string;
  contentType: string;
  expiresInSeconds: number;
  /** When the URL's validity starts (the server's clock). */
  now: Date;
}

export interface ObjectHead {
  size: number;
  /** Hex MD5 of the body when the store knows it (single-part S3 ETag, fs driver). */
  md5Hex: string | null;
}

/**
 * Where screenshot bytes live. The server only signs URLs and inspects objects; the bytes go
 * from the device straight to the store.
 */
export interface BlobStore {
  readonly kind: 'fs' | 's3';
  presignPut(key: string, c: PutConstraints): Promise<PresignedUpload>;
  presignGet(key: string, expiresInSeconds: number, now: Date): Promise<string>;
  /** The origin its signed GET URLs point at (a viewer's img-src must allow it). */
  viewOrigin(): Promise<string>;
  head(key: string): Promise<ObjectHead | null>;
  /** The object's size, or null when there is none: no digest is computed (the fs driver's head reads the whole file). */
  size(key: string): Promise<number | null>;
  get(key: string): Promise<Buffer>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Every key under a user's prefix (see userKeyPrefix), in key order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every object under a user's prefix, whether or not a row points at it; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
}
