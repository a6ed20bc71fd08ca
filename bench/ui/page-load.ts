/**
 * The window's page-load measure, shared by every UI bench case (employee view here; the
 * manager's day can add its own case with the same function): navigation start -> the view
 * is interactive (the caller's `ready` resolves), read from the page's own clock, over fresh pages.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { percentile, round } from '../core/stats';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, as the e2e runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.STINT_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface PageLoad {
  loads: number;
  p50Ms: number;
  p95Ms: number;
  samplesMs: number[];
  /** Earlier milestones of the same loads (the caller's `steps`), each as p50 / p95 ms since navigation start. */
  steps?: Record<string, { p50Ms: number; p95Ms: number }>;
}

/**
 * Loads `url` `loads` times, each in a fresh context (no cache, as a first open of the window),
 * after `warmup` untimed loads. `ready` (a JS expression) runs in the page on every animation frame; a sample is the
 * page's performance.now() (ms since navigation start) at the first frame it returned true.
 */
export async function measurePageLoad(
  browser: Browser,
  url: string,
  ready: string,
  o: { loads?: number; warmup?: number; viewport?: { width: number; height: number }; timezoneId?: string; steps?: Record<string, string> } = {},
): Promise<PageLoad> {
  const samples: number[] = [];
  const names = Object.keys(o.steps ?? {});
  const stepSamples: number[][] = names.map(() => []);
  const loads = o.loads ?? 15;
  for (let i = 0; i < (o.warmup ?? 2) + loads; i++) {
    const context = await browser.newContext({ viewport: o.viewport ?? { width: 1280, height: 720 }, ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}) });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const [ms, ...stepMs] = await untilFrames(page, [ready, ...names.map((n) => o.steps![n]!)]);
    if (i >= (o.warmup ?? 2)) {
      samples.push(ms!);
      stepMs.forEach((v, k) => stepSamples[k]!.push(v));
    }
    await context.close();
  }
  const steps = Object.fromEntries(names.map((n, k) => [n, { p50Ms: round(percentile(stepSamples[k]!, 50)), p95Ms: round(percentile(stepSamples[k]!, 95)) }]));
  return { loads, p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), samplesMs: samples.map((s) => round(s)), ...(names.length ? { steps } : {}) };
}

/** performance.now() at the first frame each expression held, waiting until the first (the final one) holds. */
export async function untilFrames(page: Page, readies: string[], timeoutMs = 30_000): Promise<number[]> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const started = performance.now();
    const seen = ${JSON.stringify(readies.map(() => null))};
    const checks = [${readies.map((r) => `() => ${r}`).join(', ')}];
    const tick = () => {
      checks.forEach((check, k) => { if (seen[k] === null && check()) seen[k] = performance.now(); });
      if (seen[0] !== null) resolve(seen.map((v) => v ?? seen[0]));
      else if (performance.now() - started > ${timeoutMs}) reject(new Error('the page never became ready'));
      else requestAnimationFrame(tick);
    };
    tick();
  })`) as Promise<number[]>;
}

/**
 * performance.now() at the first animation frame where the `ready` expression holds. The loop goes to the page
 * as one expression (evaluated by the debugger protocol): Playwright's waitForFunction evals its predicate
 * inside the page, which the window's CSP (no 'unsafe-eval') refuses.
 */
export async function untilFrame(page: Page, ready: string, timeoutMs = 30_000): Promise<number> {
  return (await untilFrames(page, [ready], timeoutMs))[0]!;
}
