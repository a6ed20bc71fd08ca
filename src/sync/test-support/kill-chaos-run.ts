import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../shared/ids';
import type { QueueCounts } from '../db/queue-counts';
import { buildChaosDevice } from './chaos-bundle';
import { runKillRounds, type KillRoundsResult } from './kill-rounds';
import { startSyncDevice } from './sync-device';
import { tinyWebp } from './tiny-images';

/** The device of a SIGKILL chaos run (the kill-chaos test and bench/sync/chaos.ts): its outbox, image pool and journal. */
export interface ChaosDeviceHome {
  dir: string;
  pool: string;
  journal: string;
  deviceId: string;
}

/** Enrolls a device under `home` and fills the pool of ready-made images the chaos child records. */
export async function setUpChaosDevice(home: string, serverUrl: string, enrollmentToken: string): Promise<ChaosDeviceHome> {
  const dir = join(home, 'device');
  const pool = join(home, 'pool');
  mkdirSync(pool, { recursive: true });
  for (let i = 0; i < 8; i++) writeFileSync(join(pool, `${i}.webp`), await tinyWebp(newId()));
  const enrolled = await startSyncDevice(serverUrl, enrollmentToken, { dir });
  const deviceId = enrolled.deviceId;
  await enrolled.close();
  return { dir, pool, journal: join(home, 'journal.log'), deviceId };
}

/** `rounds` runs of the bundled chaos device on one outbox, each SIGKILLed within `maxLifeMs`. */
export async function killChaosDevice(
  h: ChaosDeviceHome,
  serverUrl: string,
  rounds: number,
  maxLifeMs: number,
  random: () => number,
): Promise<KillRoundsResult> {
  const bundle = await buildChaosDevice();
  return runKillRounds(bundle.path, { dir: h.dir, serverUrl, journal: h.journal, pool: h.pool, captureEveryMs: 25, leaseMs: 1_500 }, rounds, maxLifeMs, random).finally(() =>
    bundle.remove(),
  );
}

/** One last run that is not killed drains what is left (after the dead children's leases lapse); `check` sees its outbox counts. */
export async function drainSurvivor<T>(
  h: ChaosDeviceHome,
  serverUrl: string,
  timeoutMs: number,
  check: (outbox: QueueCounts) => Promise<T>,
): Promise<T> {
  const survivor = await startSyncDevice(serverUrl, null, { dir: h.dir, deviceId: h.deviceId });
  try {
    survivor.stack.engine.start();
    await survivor.drained(timeoutMs);
    return await check(survivor.counts());
  } finally {
    await survivor.close();
  }
}
