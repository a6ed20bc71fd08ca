import { describe, expect, it } from 'vitest';
import { createCaptureScheduler, MIN_GAP_MS, planSlot, SLOT_MS } from './scheduler';
import { createFakeClock } from '../test-support/fake-clock';
import { seededRandom } from '../test-support/seeded-random';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('planSlot', () => {
  it.each([
    { n: 0, from: 0, expected: 0 },
    { n: 1, from: 0, expected: 1 },
    { n: 3, from: 0, expected: 3 },
    { n: 3, from: SLOT_MS - 90_000, expected: 2 },
    { n: 2, from: SLOT_MS - 1, expected: 1 },
    { n: 2, from: SLOT_MS, expected: 0 },
  ])('$n per slot from slot start +$from ms gives $expected instants inside the window, 60 s apart', ({ n, from, expected }) => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planSlot(T0 + from, -Infinity, T0 + SLOT_MS, n, seededRandom(seed));
      expect(plan).toHaveLength(expected);
      plan.forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual(T0 + from);
        expect(t).toBeLessThan(T0 + SLOT_MS);
        if (i > 0) expect(t - plan[i - 1]!).toBeGreaterThanOrEqual(MIN_GAP_MS);
      });
    }
  });
});

describe('capture scheduler on an injected clock', () => {
  it.each([1, 2, 3])('takes %i per slot over an hour, never two within 60 s, even across slots', async (n) => {
    const clock = createFakeClock(T0 + 123_456);
    const shots: number[] = [];
    const s = createCaptureScheduler({ clock, random: seededRandom(n), perSlot: () => n, shoot: (at) => shots.push(at) });
    s.start();
    await clock.advance(6 * SLOT_MS);
    s.stop();
    const perSlot = new Map<number, number>();
    shots.forEach((t, i) => {
      perSlot.set(Math.floor(t / SLOT_MS), (perSlot.get(Math.floor(t / SLOT_MS)) ?? 0) + 1);
      if (i > 0) expect(t - shots[i - 1]!).toBeGreaterThanOrEqual(MIN_GAP_MS);
    });
    const fullSlots = [...perSlot.entries()].filter(([slot]) => slot * SLOT_MS >= T0 + SLOT_MS);
    expect(fullSlots.length).toBe(5);
    for (const [, count] of fullSlots) expect(count).toBe(n);
    expect(clock.pending()).toBe(0);
  });

  it('stopping and starting again within a slot never takes more than the policy allows in it', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const clock = createFakeClock(T0);
      const shots: number[] = [];
      const s = createCaptureScheduler({ clock, random: seededRandom(seed), perSlot: () => 2, shoot: (at) => shots.push(at) });
      s.start();
      for (let i = 0; i < 9 && clock.now() < T0 + SLOT_MS - 60_000; i++) {
        await clock.advance(60_000);
        s.stop();
        s.start();
      }
      await clock.advance(T0 + SLOT_MS - 1 - clock.now());
      expect(shots.length, `seed ${seed}`).toBe(2);
      s.stop();
    }
  });

  it('takes nothing when the policy says 0, and nothing after stop', async () => {
    const clock = createFakeClock(T0);
    const shots: number[] = [];
    let n = 0;
    const s = createCaptureScheduler({ clock, random: seededRandom(1), perSlot: () => n, shoot: (at) => shots.push(at) });
    s.start();
    await clock.advance(2 * SLOT_MS);
    expect(shots).toEqual([]);
    n = 1; // applies from the next slot on
    await clock.advance(2 * SLOT_MS);
    expect(shots).toHaveLength(1);
    s.stop();
    await clock.advance(3 * SLOT_MS);
    expect(shots).toHaveLength(1);
  });

  it('a policy lowered mid-slot holds at once: shots planned under the old one are not taken', async () => {
    for (const [from, to] of [[3, 0], [3, 1]] as const) {
      const clock = createFakeClock(T0);
      const shots: number[] = [];
      let n: number = from;
      const s = createCaptureScheduler({ clock, random: seededRandom(7), perSlot: () => n, shoot: (at) => shots.push(at) });
      s.start();
      expect(s.planned()).toHaveLength(3);
      await clock.advance(s.planned()[0]! - clock.now());
      expect(shots).toHaveLength(1);
      n = to;
      await clock.advance(T0 + SLOT_MS - 1 - clock.now());
      expect(shots, `${from} → ${to} per slot`).toHaveLength(1);
      await clock.advance(SLOT_MS);
      expect(shots).toHaveLength(1 + to);
      s.stop();
    }
  });
});
