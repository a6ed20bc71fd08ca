import { describe, expect, it } from 'vitest';
import { fullJitterDelay, nextDelay } from './backoff';

const policy = { baseMs: 1_000, capMs: 300_000 };

describe('full jitter backoff', () => {
  it('grows its ceiling exponentially from the base', () => {
    expect(fullJitterDelay(0, policy, () => 0.999999)).toBe(999);
    expect(fullJitterDelay(3, policy, () => 0.999999)).toBe(7_999);
  });

  it('never exceeds the cap however many attempts failed', () => {
    for (const attempt of [9, 10, 50, 10_000]) expect(fullJitterDelay(attempt, policy, () => 0.999999)).toBeLessThan(300_000);
  });

  it('spreads delays uniformly down to zero', () => {
    expect(fullJitterDelay(5, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(5, policy, () => 0.5)).toBe(16_000);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(nextDelay(0, 42_000, policy, () => 0.5)).toBe(42_000);
    expect(nextDelay(8, 1_000, policy, () => 0.5)).toBe(128_000);
    expect(nextDelay(2, null, policy, () => 0.5)).toBe(2_000);
  });
});
