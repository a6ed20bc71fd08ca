import { describe, expect, it } from 'vitest';
import { crashReason, createRestartPolicy } from './restart-policy';

describe('restarting a crashed core', () => {
  it('backs off 1, 2, 4 … s up to the cap, and starts over after a healthy run', () => {
    const clock = { t: 0 };
    const p = createRestartPolicy({ now: () => clock.t, capMs: 8_000, healthyMs: 60_000 });
    expect([p.crashed(), p.crashed(), p.crashed(), p.crashed(), p.crashed()]).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    p.started();
    clock.t += 60_000;
    expect(p.crashed()).toBe(1_000);
  });

  it('says what ended the core and when it comes back', () => {
    expect(crashReason({ code: 134 }, 4_000)).toBe('the tracker core stopped (exit code 134); restarting in 4 s');
    expect(crashReason({ code: null, reason: 'oom' }, 1_000)).toBe('the tracker core stopped (oom); restarting in 1 s');
  });
});
