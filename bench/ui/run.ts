/**
 * UI benchmarks (issue 9): the renderer's JS gzipped, navigation -> employee view interactive
 * (p50/p95 over fresh loads in Debian Chromium), and the renderer's JS heap after 3,600 status
 * events (a tracked hour at one a second) against its start. A real offline agent under Xvfb
 * serves the build and sends the events. Run: npm run bench -- ui
 * Writes docs/bench/ui.json and docs/bench/ui.md. Measurements, never pass/fail.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startXvfb } from '../../test/infra/xvfb';
import { buildRenderer, startAgentProcess, ROOT } from '../../e2e/agent-process';
import { launchChromium, measurePageLoad, type PageLoad } from './page-load';
import { heapAfterStatusEvents, type HeapRun } from './status-heap';

const EVENTS = Number(process.env.BENCH_STATUS_EVENTS ?? 3600);
const LOADS = Number(process.env.BENCH_LOADS ?? 15);

/** The employee view is interactive: the timer screen is drawn with its data and its Stop button works (run in the page). */
export const employeeViewReady = `(() => {
  const h1 = document.querySelector('h1');
  const stop = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Stop');
  return h1?.textContent === 'Timer' && !!stop && !stop.hasAttribute('data-disabled') && !document.body.innerText.includes('Loading');
})()`;

function bundleSize(): { files: number; rawKb: number; gzipKb: number; cssGzipKb: number } {
  const dir = join(ROOT, 'dist/renderer/assets');
  const files = readdirSync(dir);
  const sum = (ext: string, gz: boolean) =>
    files.filter((f) => f.endsWith(ext)).reduce((a, f) => a + (gz ? gzipSync(readFileSync(join(dir, f)), { level: 9 }) : readFileSync(join(dir, f))).length, 0) / 1024;
  return { files: files.filter((f) => f.endsWith('.js')).length, rawKb: Math.round(sum('.js', false) * 10) / 10, gzipKb: Math.round(sum('.js', true) * 10) / 10, cssGzipKb: Math.round(sum('.css', true) * 10) / 10 };
}

buildRenderer();
const x = await startXvfb({ width: 1280, height: 720 });
const dataDir = mkdtempSync(join(tmpdir(), 'stint-bench-ui-'));
const { STINT_SERVER_URL: _offline, ...env } = x.env;
const agent = await startAgentProcess({ dataDir, env, token: 'bench-ui-token-0123456789abcdef' });
const browser = await launchChromium();
try {
  const bundle = bundleSize();
  const employeeView: PageLoad = await measurePageLoad(browser, agent.windowUrl, employeeViewReady, { loads: LOADS });
  const heap: HeapRun = await heapAfterStatusEvents(browser, agent, EVENTS, employeeViewReady);
  const results = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, chromium: browser.version() },
    at: new Date().toISOString(),
    bundle,
    employeeView,
    heap,
  };
  mkdirSync('docs/bench', { recursive: true });
  writeFileSync('docs/bench/ui.json', JSON.stringify(results, null, 2) + '\n');
  const md = [
    '# UI (`npm run bench -- ui`)',
    '',
    `${results.machine.cpus} cores (${results.machine.model}), Node ${results.machine.node}, Chromium ${results.machine.chromium}; a real offline agent under Xvfb serves the build.`,
    '',
    '| measure | result | aim |',
    '|---|---|---|',
    `| renderer JS, gzipped (${bundle.files} file) | ${bundle.gzipKb} KB (${bundle.rawKb} KB raw; CSS ${bundle.cssGzipKb} KB gzipped) | ≤ 150 KB |`,
    `| navigation → employee view interactive, p50 / p95 over ${employeeView.loads} fresh loads | ${employeeView.p50Ms} / ${employeeView.p95Ms} ms | ≤ 300 ms |`,
    `| JS heap after GC, at 0 / ¼ / ½ / ¾ / all of ${heap.events} status events | ${heap.samples.map((x) => x.mb).join(' → ')} MB (second half ${heap.secondHalfDeltaMb >= 0 ? '+' : ''}${heap.secondHalfDeltaMb} MB; whole run ×${heap.ratio}) | flat |`,
    '',
    `Status events: ${heap.events} timer start/stop calls over the bridge, each answered by a \`status\` event on the window's event stream (${heap.eventsPerSecond} /s); the window re-renders the timer screen for each.`,
  ].join('\n');
  writeFileSync('docs/bench/ui.md', md + '\n');
  console.log(md);
} finally {
  await browser.close();
  await agent.stop();
  await x.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
