import { fullJitterDelay, maxRetryAfterMs, nextDelay, type BackoffPolicy } from './backoff';
import { classifyFailure, type FailureClass } from './failure-classifier';
import { BlobStoreError, UrlExpiredAgainError } from './screenshot-job';

/** Which side failed: the API server, or the blob store at this origin (each has its own online probe). */
export type FailureTarget = 'api' | { origin: string };

export function classifyJobFailure(err: unknown): { failure: FailureClass; target: FailureTarget } {
  if (err instanceof UrlExpiredAgainError) {
    return { failure: { kind: 'transient', reason: err.message, retryAfterMs: null, countAttempt: false, offline: false }, target: 'api' };
  }
  if (err instanceof BlobStoreError) return { failure: classifyFailure(err.error, { blob: true }), target: { origin: err.origin } };
  return { failure: classifyFailure(err), target: 'api' };
}

export type RowFate = { kind: 'dead' } | { kind: 'retry'; at: number; countAttempt: boolean };

/**
 * What becomes of a row after a failure: a dead letter (permanent), or back in the queue at a
 * time: now for a paused engine or a URL to re-request, after Retry-After for 429 (not counted;
 * a base delay plus jitter when the server gave none), after a full-jitter backoff on the row's
 * persisted attempts otherwise.
 */
export function rowFate(failure: FailureClass, attempts: number, now: number, backoff: BackoffPolicy, random: () => number): RowFate {
  if (failure.kind === 'permanent') return { kind: 'dead' };
  if (failure.kind === 'sign-in-required' || failure.kind === 'expired-url') return { kind: 'retry', at: now, countAttempt: false };
  // Uncounted without a server-given wait (429 without Retry-After, URLs that kept expiring): still
  // at least one base delay, or the row would be claimed again at once and hammer the server.
  if (!failure.countAttempt) {
    const wait = failure.retryAfterMs === null ? backoff.baseMs + fullJitterDelay(attempts, backoff, random) : Math.min(failure.retryAfterMs, maxRetryAfterMs(backoff));
    return { kind: 'retry', at: now + wait, countAttempt: false };
  }
  return { kind: 'retry', at: now + nextDelay(attempts, failure.retryAfterMs, backoff, random), countAttempt: true };
}
