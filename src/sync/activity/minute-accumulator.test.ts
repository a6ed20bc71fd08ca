import { describe, expect, it } from 'vitest';
import { createMinuteAccumulator, type SecondSample } from './minute-accumulator';
import { createIdleDetector } from '../idle/idle-detector';

const M = Date.UTC(2026, 0, 5, 9, 0, 0);
const s = (sec: number, over: Partial<SecondSample> = {}): SecondSample => ({
  at: M + sec * 1000,
  active: true,
  tracked: true,
  app: 'code',
  title: null,
  ...over,
});

describe('minute accumulator', () => {
  it.each([
    { name: 'a full active minute', samples: Array.from({ length: 60 }, (_, i) => s(i)), active: 60, tracked: 60 },
    { name: 'half idle', samples: Array.from({ length: 60 }, (_, i) => s(i, { active: i < 30 })), active: 30, tracked: 60 },
    { name: 'jitter: two samples in one second count once', samples: [s(0), s(0.4), s(0.9, { active: false })], active: 1, tracked: 1 },
    { name: 'timer stopped for 20 s: input then is not activity', samples: Array.from({ length: 60 }, (_, i) => s(i, { tracked: i >= 20 })), active: 40, tracked: 40 },
    { name: 'idle while tracked, busy while stopped', samples: Array.from({ length: 60 }, (_, i) => s(i, { tracked: i < 30, active: i >= 30 })), active: 0, tracked: 30 },
  ])('$name', ({ samples, active, tracked }) => {
    const acc = createMinuteAccumulator();
    for (const x of samples) expect(acc.add(x)).toBeNull();
    expect(acc.add(s(60))).toMatchObject({ minuteStart: M, activeSeconds: active, trackedSeconds: tracked });
  });

  it('ranks apps by tracked seconds, keeps titles only when given, and caps the list', () => {
    const acc = createMinuteAccumulator(2);
    for (let i = 0; i < 30; i++) acc.add(s(i, { app: 'code', title: 'main.ts' }));
    for (let i = 30; i < 50; i++) acc.add(s(i, { app: 'firefox' }));
    for (let i = 50; i < 60; i++) acc.add(s(i, { app: 'slack' }));
    expect(acc.flush()?.apps).toEqual([
      { app: 'code', title: 'main.ts', seconds: 30 },
      { app: 'firefox', seconds: 20 },
    ]);
    expect(acc.flush()).toBeNull();
  });
});

describe('idle detector', () => {
  it('opens at the last input once the threshold passed, ignores jitter, closes at the next input', () => {
    const d = createIdleDetector(() => 60_000);
    expect(d.sample(M + 59_000, 59_000)).toBeNull();
    expect(d.sample(M + 60_000, 60_000)).toEqual({ type: 'opened', startedAt: M });
    expect(d.sample(M + 90_000, 89_500)).toBeNull();
    expect(d.sample(M + 120_000, 300)).toEqual({ type: 'closed', startedAt: M, endedAt: M + 119_700 });
    expect(d.isOpen()).toBe(false);
  });
});
