/**
 * A test device in its own process, meant to be SIGKILLed at any moment: it records screenshots
 * (real files, written atomically, rows in the real outbox) and activity ops, journaling
 * BEGIN/ACK around each, while the real sync engine uploads. Run: `tsx chaos-device.ts '<json>'`.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { openDb } from '../../db/open-db';
import { createUploadQueue } from '../../db/upload-queue';
import { createScreenshotsRepository } from '../../db/screenshots.repository';
import { appendOp } from '../../db/ops.repository';
import { newId } from '../../db/ids';
import { writeFileAtomic } from '../../capture/atomic-file';
import { digests } from '../../capture/encoder';
import { createSyncStack } from '../sync-stack';
import { DeviceJournal } from './device-journal';

export interface ChaosDeviceConfig {
  dir: string;
  serverUrl: string;
  journal: string;
  /** Pause between captures; 0 records nothing (a drain-only run). */
  captureEveryMs: number;
  leaseMs: number;
}

export async function tinyWebp(id: string): Promise<Buffer> {
  const h = Buffer.from(id.replace(/-/g, ''), 'hex');
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r: h[13]!, g: h[14]!, b: h[15]! } } })
    .webp({ quality: 50 })
    .toBuffer();
}

export async function recordShot(
  db: ReturnType<typeof openDb>,
  shotsDir: string,
  journal: DeviceJournal | null,
  now: number,
): Promise<string> {
  const id = newId(now);
  journal?.begin('shot', id);
  const data = await tinyWebp(id);
  const filePath = join(shotsDir, `${id}.display_0.webp`);
  await writeFileAtomic(filePath, data);
  createScreenshotsRepository(db).insert({
    id,
    entryId: null,
    takenAt: now,
    displayId: 'display_0',
    width: 32,
    height: 24,
    bytes: data.length,
    ...digests(data),
    contentType: 'image/webp',
    filePath,
    thumbPath: null,
  });
  journal?.ack('shot', id);
  return id;
}

export function recordMinute(db: ReturnType<typeof openDb>, journal: DeviceJournal | null, now: number): string {
  const id = newId(now);
  journal?.begin('op', id);
  appendOp(
    db,
    {
      id,
      kind: 'activity.minute',
      minute: {
        id: newId(now),
        entryId: null,
        minuteStart: new Date(Math.floor(now / 60_000) * 60_000).toISOString(),
        activeSeconds: 30,
        trackedSeconds: 60,
        apps: [{ app: 'chaos', seconds: 30 }],
      },
    },
    now,
  );
  journal?.ack('op', id);
  return id;
}

async function main(cfg: ChaosDeviceConfig): Promise<void> {
  const shotsDir = join(cfg.dir, 'shots');
  mkdirSync(shotsDir, { recursive: true });
  const db = openDb(join(cfg.dir, 'outbox.db'));
  const journal = new DeviceJournal(cfg.journal);
  const stack = createSyncStack({
    serverUrl: cfg.serverUrl,
    dir: cfg.dir,
    queue: createUploadQueue(db),
    engine: { leaseMs: cfg.leaseMs, idlePollMs: 50, concurrency: 3, catalog: undefined },
    timeoutMs: 5_000,
  });
  stack.engine.start();
  process.send?.('ready');
  if (cfg.captureEveryMs <= 0) return;
  for (;;) {
    await recordShot(db, shotsDir, journal, Date.now());
    recordMinute(db, journal, Date.now());
    stack.engine.notify();
    await new Promise((r) => setTimeout(r, cfg.captureEveryMs));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(JSON.parse(process.argv[2]!) as ChaosDeviceConfig).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
