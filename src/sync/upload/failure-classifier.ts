import { LocalFileMismatchError } from '../api/blob-upload';
import { SignInRequiredError, toHttpFailure, type HttpFailure } from '../api/http-failure';

export type FailureClass =
  /** Try again later with backoff. `offline`: nothing answered, so probe before trying anything else. */
  | { kind: 'transient'; reason: string; retryAfterMs: number | null; countAttempt: boolean; offline: boolean }
  /** The presigned PUT URL outlived its validity: ask the server for a new one, never a dead letter. */
  | { kind: 'expired-url'; reason: string }
  /** The credential was refused: pause all sync until someone signs in again. */
  | { kind: 'sign-in-required'; reason: string }
  /** The server said no for good: a visible dead letter with its reason. */
  | { kind: 'permanent'; reason: string; status?: number };

const TRANSIENT_STATUS = new Set([408, 425, 429]);
/** Transport failures that mean the other side is not reachable at all (as opposed to one broken exchange). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNABORTED']);

export interface ClassifyContext {
  /** The failure came from the blob store PUT (S3 answers 403 "Request has expired"). */
  blob?: boolean;
  /** When the presigned URL stops being valid, on the device's corrected clock. */
  urlExpiresAt?: number;
  serverNow?: number;
}

export function classifyFailure(err: unknown, ctx: ClassifyContext = {}): FailureClass {
  if (err instanceof SignInRequiredError) return { kind: 'sign-in-required', reason: err.message };
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ENOENT' && !(err as { isAxiosError?: boolean }).isAxiosError) {
    return { kind: 'permanent', reason: `local file is missing: ${(err as Error).message}` };
  }
  if (err instanceof LocalFileMismatchError) return { kind: 'permanent', reason: err.message };
  const f: HttpFailure = toHttpFailure(err, ctx.serverNow);
  if (f.status === null) {
    return { kind: 'transient', reason: f.reason, retryAfterMs: null, countAttempt: true, offline: f.code !== null && UNREACHABLE.has(f.code) };
  }
  // A success status on an error: the answer broke off mid-body (a reset). The server may have acted; replay.
  if (f.status < 300) return { kind: 'transient', reason: `${f.status} answer cut off: ${f.code ?? 'reset'}`, retryAfterMs: null, countAttempt: true, offline: false };
  if (ctx.blob && f.status === 403 && isExpired(f, ctx)) return { kind: 'expired-url', reason: f.reason };
  if (f.status === 429) return { kind: 'transient', reason: f.reason, retryAfterMs: f.retryAfterMs, countAttempt: false, offline: false };
  if (f.status >= 500 || TRANSIENT_STATUS.has(f.status)) {
    return { kind: 'transient', reason: f.reason, retryAfterMs: f.retryAfterMs, countAttempt: true, offline: false };
  }
  // The interceptor already refreshed once; a second 401 is worth another try later, not a dead letter.
  if (f.status === 401) return { kind: 'transient', reason: f.reason, retryAfterMs: null, countAttempt: true, offline: false };
  return { kind: 'permanent', reason: f.reason, status: f.status };
}

function isExpired(f: HttpFailure, ctx: ClassifyContext): boolean {
  if (/expired/i.test(f.body) || /expired/i.test(f.reason)) return true;
  return ctx.urlExpiresAt !== undefined && ctx.serverNow !== undefined && ctx.serverNow >= ctx.urlExpiresAt;
}
