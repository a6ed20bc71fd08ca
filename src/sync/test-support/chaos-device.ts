/**
 * A test device in its own process, meant to be SIGKILLed at any moment: it records screenshots
 * (real files written atomically, rows in the real outbox) and activity ops, journaling
 * BEGIN/ACK around each, while the real sync engine uploads. Started by kill-chaos tests and
 * bench/sync/chaos.ts from an esbuild bundle (see chaos-bundle.ts) so a round starts quickly.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../db/open-db';
import { createUploadQueue } from '../db/upload-queue';
import { withBatchedDone } from '../upload/queue-with-batched-done';
import { createSyncStack } from '../upload/sync-port';
import { DeviceJournal } from './device-journal';
import { recordMinute, recordShot } from './device-records';

export interface ChaosDeviceConfig {
  dir: string;
  serverUrl: string;
  journal: string;
  /** Directory of ready-made images to record (no image library in the child: it starts faster). */
  pool: string;
  /** Pause between captures; 0 records nothing (a drain-only run). */
  captureEveryMs: number;
  leaseMs: number;
}

async function main(cfg: ChaosDeviceConfig): Promise<void> {
  const shotsDir = join(cfg.dir, 'shots');
  mkdirSync(shotsDir, { recursive: true });
  const images = readdirSync(cfg.pool).map((f) => readFileSync(join(cfg.pool, f)));
  const db = openDb(join(cfg.dir, 'outbox.db'));
  const journal = new DeviceJournal(cfg.journal);
  const stack = createSyncStack({
    serverUrl: cfg.serverUrl,
    dir: cfg.dir,
    queue: withBatchedDone(createUploadQueue(db), db),
    engine: { leaseMs: cfg.leaseMs, idlePollMs: 50, concurrency: 3 },
    timeoutMs: 5_000,
  });
  stack.engine.start();
  process.send?.('ready');
  if (cfg.captureEveryMs <= 0) return;
  for (let n = 0; ; n++) {
    await recordShot(db, shotsDir, journal, Date.now(), () => images[n % images.length]!);
    recordMinute(db, journal, Date.now());
    stack.engine.notify();
    await new Promise((r) => setTimeout(r, cfg.captureEveryMs));
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as ChaosDeviceConfig).catch((err) => {
  console.error(err);
  process.exit(1);
});
