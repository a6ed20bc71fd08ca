import pRetry from 'p-retry';
import type { ServerClient } from '../api/server-client';
import { maxRetryAfterMs, nextDelay, type BackoffPolicy } from './backoff';
import type { EngineStatus } from './engine-status';
import { classifyFailure, type FailureClass } from './failure-classifier';
import { classifyJobFailure, rowFate, type FailureTarget } from './job-failure';
import type { SyncGate } from './sync-gate';
import type { Clock } from '../clock';

const IN_RUN_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 2_000 };

export interface OutcomeDeps {
  client: ServerClient;
  gate: SyncGate;
  status: EngineStatus;
  timers: Clock;
  signal: AbortSignal;
  backoff: BackoffPolicy;
  random: () => number;
  /** Quick retries inside one run (p-retry) before a failure is written back to the row. */
  inRunRetries: number;
  pending?: () => { screenshots: number; ops: number; bytesPending: number };
}

export interface EngineOutcomes {
  /** Run `fn`, retrying quick transient failures a few times inside this run. */
  withRetries<T>(fn: () => Promise<T>): Promise<T>;
  /** `count` items confirmed by the server: status, progress event, the API is online. */
  succeeded(count: number): void;
  /** Classify a failed row's error and update online state and status. `attempts`: its earlier failed attempts. */
  failed(err: unknown, attempts: number): Promise<FailureClass>;
  /** Write the row's fate: back in the queue at a time, or a dead letter. */
  settle(failure: FailureClass, attempts: number, retry: (at: number, countAttempt: boolean) => void, dead: () => void): void;
}

export function createEngineOutcomes(d: OutcomeDeps): EngineOutcomes {
  const { gate, status, timers, signal } = d;

  const retryable = async (err: unknown, attemptNumber: number): Promise<boolean> => {
    if (signal.aborted) return false;
    const { failure, target } = classifyJobFailure(err);
    holdForRetryAfter(failure, target);
    if (failure.kind !== 'transient' || failure.offline || (failure.retryAfterMs ?? 0) > 5_000) return false;
    await timers.sleep(nextDelay(attemptNumber - 1, failure.retryAfterMs, IN_RUN_BACKOFF, d.random), signal);
    return true;
  };

  /** A server that said when to come back (429, 503 + Retry-After) gets no request from any worker before then. */
  function holdForRetryAfter(failure: FailureClass, target: FailureTarget): void {
    if (failure.kind === 'transient' && failure.retryAfterMs) gate.hold(target, timers.now() + Math.min(failure.retryAfterMs, maxRetryAfterMs(d.backoff)));
  }

  /**
   * A 403 may mean "this device was revoked": ask the server with a fresh exchange before
   * dead-lettering anything. A 403 the credential survives is believed on its second attempt only
   * (a server-side race, e.g. two first requests registering the device at once, must not kill rows).
   */
  async function checkCredential(failure: FailureClass, attempts: number): Promise<FailureClass> {
    try {
      await d.client.session.reauthenticate();
    } catch (err) {
      const again = classifyFailure(err);
      return again.kind === 'permanent' ? failure : again;
    }
    if (attempts >= 1) return failure;
    return { kind: 'transient', reason: failure.reason, retryAfterMs: null, countAttempt: true, offline: false };
  }

  return {
    withRetries: (fn) =>
      pRetry(fn, { retries: d.inRunRetries, minTimeout: 0, maxTimeout: 0, shouldRetry: ({ error, attemptNumber }) => retryable(error, attemptNumber) }),

    succeeded(count) {
      gate.api.markOnline();
      const uploaded = status.snapshot.uploaded + count;
      status.update({ lastSuccessAt: timers.now(), lastError: null, uploaded });
      let pending: ReturnType<NonNullable<OutcomeDeps['pending']>> | undefined;
      try {
        pending = d.pending?.();
      } catch {
        pending = undefined; // counts are for the UI; an outbox closing under us must not stop uploads
      }
      if (pending) status.progress({ uploaded, remaining: pending.screenshots + pending.ops, bytesPending: pending.bytesPending });
    },

    async failed(err, attempts) {
      const classified = classifyJobFailure(err);
      const { target } = classified;
      let { failure } = classified;
      if (signal.aborted) return { kind: 'transient', reason: 'sync stopped', retryAfterMs: 0, countAttempt: false, offline: false };
      if (failure.kind === 'permanent' && failure.status === 403 && target === 'api') failure = await checkCredential(failure, attempts);
      holdForRetryAfter(failure, target);
      if (failure.kind === 'transient' && failure.offline) (target === 'api' ? gate.api : gate.blobMonitor(target.origin)).markOffline();
      else if (target === 'api' && failure.kind !== 'sign-in-required') gate.api.markOnline();
      status.update({ lastError: failure.reason });
      gate.refresh();
      return failure;
    },

    settle(failure, attempts, retry, dead) {
      const fate = rowFate(failure, attempts, timers.now(), d.backoff, d.random);
      if (fate.kind === 'dead') dead();
      else retry(fate.at, fate.countAttempt);
    },
  };
}
