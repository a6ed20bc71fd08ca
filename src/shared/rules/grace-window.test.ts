import { describe, expect, it } from 'vitest';
import { deletableUntil, withinGraceWindow } from './grace-window';
describe('the screenshot grace window', () => {
  it('ends graceSeconds after takenAt, inclusive', () => {
    expect(deletableUntil(1_000, 60)).toBe(61_000);
    expect(withinGraceWindow(1_000, 61_000, 60)).toBe(true);
    expect(withinGraceWindow(1_000, 61_001, 60)).toBe(false);
  });

});
