import { describe, expect, it } from 'vitest';
import { createHostPresence } from './host-presence';

function presence(osIdle: { ms: number }, clock: { t: number }) {
  return createHostPresence({ now: () => clock.t, osIdleMs: async () => osIdle.ms });
}

describe('the shell\'s presence signals in the core', () => {
  it('counts idle time from the lock while the screen is locked, though the OS counter says less', async () => {
    const os = { ms: 1_000 };
    const clock = { t: 100_000 };
    const p = presence(os, clock);
    p.apply({ type: 'power', state: 'lock', at: 100_000 });
    clock.t = 700_000;
    expect(await p.idle.idleMs()).toBe(600_000);
    expect(p.capturePaused()).toMatch(/locked or the computer is asleep/);
  });

  it('after resume reports the absence once, so the span closes at the return, then the OS reading again', async () => {
    const os = { ms: 0 };
    const clock = { t: 0 };
    const p = presence(os, clock);
    p.apply({ type: 'power', state: 'suspend', at: 10_000 });
    clock.t = 310_000;
    p.apply({ type: 'power', state: 'resume', at: 310_000 });
    expect(p.capturePaused()).toBeNull();
    expect(await p.idle.idleMs()).toBe(300_000);
    os.ms = 500;
    expect(await p.idle.idleMs()).toBe(500);
  });

  it('pauses capture with the OS reason when screen recording is not permitted, and lifts it', () => {
    const p = presence({ ms: 0 }, { t: 0 });
    p.apply({ type: 'capture-blocked', reason: 'screen recording is not allowed for Stint in System Settings' });
    expect(p.capturePaused()).toMatch(/screen recording is not allowed/);
    p.apply({ type: 'capture-blocked', reason: null });
    expect(p.capturePaused()).toBeNull();
  });
});
