import type { Clock, TimerHandle } from '../clock';
import { SLOT_SECONDS } from '../../shared/time';

export const SLOT_MS = SLOT_SECONDS * 1000;
export const MIN_GAP_MS = 60_000;

/**
 * Up to `n` random instants in [max(from, notBefore), slotEnd), pairwise at least MIN_GAP_MS
 * apart. Fewer when the window is too short to hold them. Uniform spacing trick: draw n
 * points in the window shrunk by the gaps, sort, then add the gaps back.
 */
export function planSlot(from: number, notBefore: number, slotEnd: number, n: number, random: () => number): number[] {
  const start = Math.max(from, notBefore);
  const len = slotEnd - start;
  if (n <= 0 || len <= 0) return [];
  const fit = Math.min(n, Math.floor((len - 1) / MIN_GAP_MS) + 1);
  const room = len - 1 - (fit - 1) * MIN_GAP_MS;
  const draws = Array.from({ length: fit }, () => Math.floor(random() * room)).sort((a, b) => a - b);
  return draws.map((d, i) => start + d + i * MIN_GAP_MS);
}

export interface CaptureScheduler {
  start(): void;
  stop(): void;
  /** Planned instants not yet taken (for status and tests). */
  planned(): number[];
}

/**
 * While running, takes `perSlot()` screenshots per 10-minute slot at random instants. A raised
 * `perSlot()` applies from the next slot; a lowered one at once.
 */
export function createCaptureScheduler(deps: {
  clock: Clock;
  random?: () => number;
  perSlot: () => number;
  shoot: (at: number) => void;
}): CaptureScheduler {
  const random = deps.random ?? Math.random;
  let timer: TimerHandle | null = null;
  let plan: number[] = [];
  let lastShot = -Infinity;
  // Shots already taken in a slot count against it, so stop/start within a slot never takes more.
  const taken = { slot: -1, n: 0 };
  let running = false;

  const arm = () => {
    if (!running) return;
    const now = deps.clock.now();
    if (plan.length === 0) {
      const slot = Math.floor(now / SLOT_MS);
      const slotStart = slot * SLOT_MS;
      const left = deps.perSlot() - (taken.slot === slot ? taken.n : 0);
      plan = planSlot(now, lastShot + MIN_GAP_MS, slotStart + SLOT_MS, left, random);
      if (plan.length === 0) {
        timer = deps.clock.setTimeout(arm, slotStart + SLOT_MS - now);
        return;
      }
    }
    const next = plan[0]!;
    timer = deps.clock.setTimeout(() => {
      plan.shift();
      const slot = Math.floor(next / SLOT_MS);
      // A policy lowered since the plan was made (screenshots turned off, fewer per slot) holds at once.
      if ((taken.slot === slot ? taken.n : 0) >= deps.perSlot()) {
        plan = [];
        timer = deps.clock.setTimeout(arm, (slot + 1) * SLOT_MS - deps.clock.now());
        return;
      }
      lastShot = next;
      if (taken.slot === slot) taken.n++;
      else Object.assign(taken, { slot, n: 1 });
      deps.shoot(next);
      if (plan.length === 0) {
        // Next slot's plan is made at its start, so a policy change applies from then on.
        const slotEnd = (Math.floor(next / SLOT_MS) + 1) * SLOT_MS;
        timer = deps.clock.setTimeout(arm, slotEnd - deps.clock.now());
      } else arm();
    }, Math.max(0, next - now));
  };

  return {
    start() {
      if (running) return;
      running = true;
      plan = [];
      arm();
    },
    stop() {
      running = false;
      plan = [];
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
    },
    planned: () => [...plan],
  };
}
