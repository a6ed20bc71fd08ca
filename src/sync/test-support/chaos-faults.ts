import type { FaultRule } from '../../../test/infra/fault-proxy';

/**
 * The one fault table of the chaos runs (the fault-chaos test and bench/sync/chaos.ts; the
 * SIGKILL rounds of the kill-chaos test run with the network clean): what the proxy in front of
 * the API server and the one in front of S3 inject.
 */
export function chaosFaults(): { api: FaultRule[]; s3: FaultRule[] } {
  const synced = /^\/v1\/(sync|screenshots)/;
  return {
    api: [
      { path: synced, probability: 0.08, action: { kind: 'respond', status: 503 } },
      { path: synced, probability: 0.05, action: { kind: 'respond', status: 429, retryAfter: 1 } },
      { path: synced, probability: 0.05, action: { kind: 'reset-request' } },
      { path: synced, probability: 0.05, action: { kind: 'reset-response' } },
      { path: synced, probability: 0.03, action: { kind: 'stall', ms: 800, then: 'drop' } },
      // The server acts, the device never hears: the replay must be a no-op.
      { path: synced, probability: 0.12, action: { kind: 'drop-response' } },
    ],
    s3: [
      { method: 'PUT', probability: 0.08, action: { kind: 'respond', status: 500 } },
      { method: 'PUT', probability: 0.05, action: { kind: 'respond', status: 503, retryAfter: new Date(Date.now() + 1_000) } },
      { method: 'PUT', probability: 0.08, action: { kind: 'reset-request' } },
      { method: 'PUT', probability: 0.1, action: { kind: 'drop-response' } },
      { method: 'PUT', probability: 0.04, action: { kind: 'stall', ms: 600, then: 'forward' } },
    ],
  };
}
