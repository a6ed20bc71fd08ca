export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay ever exceeds this. */
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay in
 * [0, min(cap, base·2^attempt)), which spreads retries of many devices after a shared outage.
 * `attempt` counts failures so far, starting at 0.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 40));
  return Math.floor(random() * ceiling);
}

/** The longest Retry-After believed: a server (or a proxy) asking for days is not taken at its word. */
export const maxRetryAfterMs = (policy: BackoffPolicy): number => policy.capMs * 4;

/** The next try is at least the backoff and at least what the server asked for. */
export function nextDelay(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy, random?: () => number): number {
  const backoff = fullJitterDelay(attempt, policy, random);
  return retryAfterMs === null ? backoff : Math.max(backoff, Math.min(retryAfterMs, maxRetryAfterMs(policy)));
}
