import { describe, expect, it } from 'vitest';
import { rowFate } from './job-failure';

const policy = { baseMs: 1_000, capMs: 300_000 };
const half = () => 0.5;
const transient = (extra: Partial<{ retryAfterMs: number | null; countAttempt: boolean }> = {}) => ({
  kind: 'transient' as const,
  reason: '503',
  retryAfterMs: null,
  countAttempt: true,
  offline: false,
  ...extra,
});

describe('rowFate', () => {
  it('dead-letters a permanent refusal', () => {
    expect(rowFate({ kind: 'permanent', reason: '422 bad', status: 422 }, 0, 1_000, policy, half)).toEqual({ kind: 'dead' });
  });

  it('backs off on the persisted attempts of the row', () => {
    expect(rowFate(transient(), 0, 1_000, policy, half)).toEqual({ kind: 'retry', at: 1_500, countAttempt: true });
    expect(rowFate(transient(), 4, 1_000, policy, half)).toEqual({ kind: 'retry', at: 9_000, countAttempt: true });
    expect(rowFate(transient(), 100, 1_000, policy, half)).toEqual({ kind: 'retry', at: 151_000, countAttempt: true });
  });

  it('waits for Retry-After on 429 without spending an attempt', () => {
    expect(rowFate(transient({ retryAfterMs: 30_000, countAttempt: false }), 7, 1_000, policy, half)).toEqual({ kind: 'retry', at: 31_000, countAttempt: false });
  });

  it('believes a Retry-After of days only up to four backoff caps', () => {
    expect(rowFate(transient({ retryAfterMs: 3 * 86_400_000, countAttempt: false }), 0, 1_000, policy, half)).toEqual({ kind: 'retry', at: 1_201_000, countAttempt: false });
  });

  it('waits at least a base delay on an uncounted failure the server gave no wait for (429 without Retry-After)', () => {
    expect(rowFate(transient({ countAttempt: false }), 0, 1_000, policy, half)).toEqual({ kind: 'retry', at: 2_500, countAttempt: false });
    expect(rowFate(transient({ countAttempt: false }), 0, 1_000, policy, () => 0)).toEqual({ kind: 'retry', at: 2_000, countAttempt: false });
    expect(rowFate(transient({ retryAfterMs: 0, countAttempt: false }), 0, 1_000, policy, half)).toEqual({ kind: 'retry', at: 1_000, countAttempt: false });
  });

  it('retries at once, uncounted, when the URL expired or sync is paused for sign-in', () => {
    expect(rowFate({ kind: 'expired-url', reason: 'expired' }, 3, 1_000, policy, half)).toEqual({ kind: 'retry', at: 1_000, countAttempt: false });
    expect(rowFate({ kind: 'sign-in-required', reason: 'revoked' }, 3, 1_000, policy, half)).toEqual({ kind: 'retry', at: 1_000, countAttempt: false });
  });
});
