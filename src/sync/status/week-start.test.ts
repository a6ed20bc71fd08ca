import { describe, expect, it } from 'vitest';
import { weekStartMs } from './week-start';

describe('weekStartMs', () => {
  it('is the Monday 00:00 local of the same week, Sunday belonging to the week before', () => {
    const monday = new Date(2026, 0, 5, 0, 0, 0, 0).getTime();
    expect(weekStartMs(new Date(2026, 0, 5, 9, 30).getTime())).toBe(monday);
    expect(weekStartMs(new Date(2026, 0, 11, 23, 59).getTime())).toBe(monday);
    expect(weekStartMs(monday)).toBe(monday);
    expect(weekStartMs(new Date(2026, 0, 4, 12).getTime())).toBe(new Date(2025, 11, 29).getTime());
  });
});
