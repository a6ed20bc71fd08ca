import type { Browser } from '@playwright/test';
import type { AgentProcess } from '../../e2e/agent-process';
import { LOCAL_PROJECT } from '../../src/sync/agent/agent-options';
import { round } from '../core/stats';
import { untilFrame } from './page-load';

export interface HeapRun {
  events: number;
  startMb: number;
  endMb: number;
  deltaMb: number;
  ratio: number;
  /** Heap after GC at every quarter of the run: growth that stops after warm-up is not a leak. */
  samples: Array<{ events: number; mb: number }>;
  /** Growth over the second half alone (events/2 → events). */
  secondHalfDeltaMb: number;
  eventsPerSecond: number;
}

/**
 * The window's JS heap (after a forced GC) once loaded, and at every quarter of `events` status
 * events that reach it through the agent's real event stream (timer start/stop, one status event each).
 */
export async function heapAfterStatusEvents(browser: Browser, agent: AgentProcess, events: number, ready: string): Promise<HeapRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(agent.windowUrl);
  await untilFrame(page, ready);
  const cdp = await context.newCDPSession(page);
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  };
  const quarter = Math.max(2, Math.round(events / 8) * 2);
  const samples = [{ events: 0, mb: await heapMb() }];
  let busyMs = 0;
  for (let i = 0; i < events; ) {
    const t0 = performance.now();
    for (const stop = Math.min(events, i + quarter); i < stop; i++) await agent.call(i % 2 === 0 ? 'timer.stop' : 'timer.start', i % 2 === 0 ? {} : { projectId: LOCAL_PROJECT.id });
    busyMs += performance.now() - t0;
    // The last event is drawn (an even count ends on a start: the Stop button is back).
    await untilFrame(page, ready);
    await page.waitForTimeout(500);
    samples.push({ events: i, mb: await heapMb() });
  }
  await context.close();
  const start = samples[0]!.mb;
  const end = samples.at(-1)!.mb;
  const half = samples.reduce((best, x) => (Math.abs(x.events - events / 2) < Math.abs(best.events - events / 2) ? x : best));
  return {
    events,
    startMb: round(start, 2),
    endMb: round(end, 2),
    deltaMb: round(end - start, 2),
    ratio: round(end / start, 2),
    samples: samples.map((x) => ({ events: x.events, mb: round(x.mb, 2) })),
    secondHalfDeltaMb: round(end - half.mb, 2),
    eventsPerSecond: round(events / (busyMs / 1000)),
  };
}
