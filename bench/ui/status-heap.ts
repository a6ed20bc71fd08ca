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
  eventsPerSecond: number;
}

/**
 * The window's JS heap (after a forced GC) once loaded, and again after `events` status events
 * reached it through the agent's real event stream (timer start/stop, one status event each).
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
  const start = await heapMb();
  const t0 = performance.now();
  for (let i = 0; i < events; i++) await agent.call(i % 2 === 0 ? 'timer.stop' : 'timer.start', i % 2 === 0 ? {} : { projectId: LOCAL_PROJECT.id });
  const seconds = (performance.now() - t0) / 1000;
  // The last event is drawn (an even count ends on a start: the Stop button is back).
  await untilFrame(page, ready);
  await page.waitForTimeout(500);
  const end = await heapMb();
  await context.close();
  return { events, startMb: round(start, 2), endMb: round(end, 2), deltaMb: round(end - start, 2), ratio: round(end / start, 2), eventsPerSecond: round(events / seconds) };
}
