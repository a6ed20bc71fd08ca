import { describe, expect, it } from 'vitest';
import { ClockOffset } from './clock-offset';

const at = (iso: string) => Date.parse(iso);

describe('ClockOffset', () => {
  it('measures a server two hours ahead from the Date header', () => {
    const device = at('2026-01-01T10:00:00.000Z');
    const clock = new ClockOffset(() => device);
    clock.observe(new Date(device + 2 * 3600_000).toUTCString(), device - 40, device + 40);
    expect(Math.abs(clock.offsetMs - 2 * 3600_000)).toBeLessThanOrEqual(1_000);
    expect(Math.abs(clock.now() - (device + 2 * 3600_000))).toBeLessThanOrEqual(1_000);
  });

  it('keeps the offset steady while samples jitter within the tolerance', () => {
    const changes: number[] = [];
    const clock = new ClockOffset(Date.now, undefined, (s) => changes.push(s.offsetMs));
    const base = at('2026-01-01T10:00:00.000Z');
    for (let i = 0; i < 20; i++) {
      const sentAt = base + i * 1000 + (i % 3) * 300;
      clock.observe(new Date(sentAt).toUTCString(), sentAt, sentAt + 20);
    }
    expect(changes.length).toBe(1);
  });

  it('follows a real change once most recent samples agree', () => {
    const clock = new ClockOffset();
    const base = at('2026-01-01T10:00:00.000Z');
    for (let i = 0; i < 7; i++) clock.observe(new Date(base + i * 1000).toUTCString(), base + i * 1000, base + i * 1000);
    for (let i = 7; i < 14; i++) clock.observe(new Date(base + i * 1000 + 60_000).toUTCString(), base + i * 1000, base + i * 1000);
    expect(Math.abs(clock.offsetMs - 60_000)).toBeLessThanOrEqual(1_000);
  });

  it('ignores missing or invalid headers and slow round trips', () => {
    const clock = new ClockOffset();
    clock.observe(undefined, 0, 10);
    clock.observe('not a date', 0, 10);
    clock.observe(new Date(3600_000).toUTCString(), 0, 60_000);
    expect(clock.snapshot).toEqual({ offsetMs: 0, measuredAt: null });
  });
});
