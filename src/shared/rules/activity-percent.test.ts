import { describe, expect, it } from 'vitest';
import { activityPercent } from './activity-percent';

describe('activity percent (timeline slots and summary rows alike)', () => {
  it('is active over tracked, rounded; null when nothing was tracked', () => {
    expect(activityPercent(30, 60)).toBe(50);
    expect(activityPercent(1, 3)).toBe(33);
    expect(activityPercent(0, 0)).toBeNull();
  });

  it('never passes 100 when a device reports more active than tracked seconds (the response schema caps it)', () => {
    expect(activityPercent(60, 10)).toBe(100);
  });
});
