/**
 * The agent's sync side alone in its own process, for the drain benchmark: opens the outbox,
 * starts the engine, samples RSS and event-loop delay until the backlog is gone, reports, exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { openDb } from '../../src/sync/db/open-db';
import { createUploadQueue } from '../../src/sync/db/upload-queue';
import { queueCounts } from '../../src/sync/db/queue-counts';
import { createSyncStack } from '../../src/sync/upload/sync-port';
import { withBatchedDone } from '../../src/sync/upload/queue-with-batched-done';

export interface DrainResult {
  items: { screenshots: number; ops: number };
  drainMs: number;
  apiRequests: number;
  /** Of the API requests, the screenshot declarations and completes (the rest: activity pushes, /me). */
  screenshotCalls: number;
  blobRequests: number;
  rssStartMb: number;
  rssPeakMb: number;
  /** RSS when 25 %, 50 %, 75 % of the screenshots were uploaded. */
  rssAtMb: number[];
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  /** CPU (user + system) of this process during the drain. */
  cpuMs: number;
}

const cfg = JSON.parse(process.argv[2]!) as { dir: string; serverUrl: string; concurrency: number };
const db = openDb(join(cfg.dir, 'outbox.db'));
const before = queueCounts(db, Date.now());
const stack = createSyncStack({ serverUrl: cfg.serverUrl, dir: cfg.dir, queue: withBatchedDone(createUploadQueue(db), db), engine: { concurrency: cfg.concurrency, idlePollMs: 50 } });
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
const rssStart = process.memoryUsage().rss;
let rssPeak = rssStart;
const rssAt: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const started = performance.now();
const cpuBefore = process.cpuUsage();
stack.engine.start();
for (;;) {
  await new Promise((r) => setTimeout(r, 50));
  const rss = process.memoryUsage().rss;
  rssPeak = Math.max(rssPeak, rss);
  const c = queueCounts(db, Date.now());
  const doneShare = 1 - c.screenshots / Math.max(1, before.screenshots);
  while (rssAt.length < 3 && doneShare >= (rssAt.length + 1) * 0.25) rssAt.push(mb(rss));
  if (c.screenshots + c.ops === 0) break;
}
const drainMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
loop.disable();
await stack.engine.stop();
const result: DrainResult = {
  items: { screenshots: before.screenshots, ops: before.ops },
  drainMs: Math.round(drainMs),
  apiRequests: stack.client.stats.requests,
  screenshotCalls: stack.client.stats.screenshotCalls,
  blobRequests: stack.blob.stats.requests,
  rssStartMb: mb(rssStart),
  rssPeakMb: mb(rssPeak),
  rssAtMb: rssAt,
  eventLoopMaxMs: Math.round(loop.max / 1e4) / 100,
  eventLoopP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
};
process.send!(result);
db.close();
process.exit(0);
