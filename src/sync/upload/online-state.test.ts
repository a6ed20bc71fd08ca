import { describe, expect, it } from 'vitest';
import { OnlineMonitor } from './online-state';
import { createFakeClock } from '../test-support/fake-clock';

describe('OnlineMonitor', () => {
  it('sends a bounded number of probes per minute while the server is down', async () => {
    const timers = createFakeClock();
    const monitor = new OnlineMonitor(async () => false, timers, { firstMs: 250, capMs: 1_000 });
    monitor.markOffline();
    await timers.advance(60_000);
    expect(monitor.online).toBe(false);
    expect(monitor.probes).toBeGreaterThan(50);
    expect(monitor.probes).toBeLessThanOrEqual(62);
  });

  it('resumes waiters within one probe interval of the server answering again', async () => {
    const timers = createFakeClock();
    let up = false;
    const monitor = new OnlineMonitor(async () => up, timers, { firstMs: 250, capMs: 1_000 });
    monitor.markOffline();
    let resumedAt: number | null = null;
    void monitor.whenOnline().then(() => (resumedAt = timers.now()));
    await timers.advance(30_000);
    expect(resumedAt).toBeNull();
    up = true;
    const answeredAt = timers.now();
    await timers.advance(2_000);
    expect(resumedAt).not.toBeNull();
    expect(resumedAt! - answeredAt).toBeLessThanOrEqual(1_000);
  });

  it('comes back at once when any request succeeds, and stops probing', async () => {
    const timers = createFakeClock();
    const monitor = new OnlineMonitor(async () => false, timers);
    monitor.markOffline();
    await timers.advance(5_000);
    monitor.markOnline();
    const probes = monitor.probes;
    await timers.advance(60_000);
    expect(monitor.online).toBe(true);
    expect(monitor.probes).toBe(probes);
    await expect(monitor.whenOnline()).resolves.toBeUndefined();
  });

  it('probes at once on a platform nudge', async () => {
    const timers = createFakeClock();
    let up = false;
    const monitor = new OnlineMonitor(async () => up, timers, { firstMs: 250, capMs: 1_000 });
    monitor.markOffline();
    await timers.advance(10_000);
    up = true;
    monitor.nudge();
    await timers.advance(0);
    expect(monitor.online).toBe(true);
  });
});
