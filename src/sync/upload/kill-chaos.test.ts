import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../shared/ids';
import { tempDir } from '../test-support/temp-dir';
import { buildChaosDevice } from '../test-support/chaos-bundle';
import { expectJepsenClean } from '../test-support/jepsen-check';
import { runKillRounds } from '../test-support/kill-rounds';
import { seededRandom } from '../test-support/seeded-random';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { startSyncDevice } from '../test-support/sync-device';
import { tinyWebp } from '../test-support/tiny-images';

// The device process dies by SIGKILL at random points, again and again, on one outbox.
// STINT_KILL_ROUNDS and STINT_KILL_SEED replay a run; a failure reports its seed.
const ROUNDS = Number(process.env.STINT_KILL_ROUNDS ?? 200);
const SEED = Number(process.env.STINT_KILL_SEED ?? Date.now() % 1_000_000);

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

describe('SIGKILL chaos', () => {
  it(`loses and duplicates nothing across ${ROUNDS} kills of the device at random points`, { timeout: 600_000 }, async () => {
    const home = tempDir('stint-kill-');
    try {
      const dir = join(home.path, 'device');
      const pool = join(home.path, 'pool');
      mkdirSync(pool, { recursive: true });
      for (let i = 0; i < 8; i++) writeFileSync(join(pool, `${i}.webp`), await tinyWebp(newId()));
      const enrolled = await startSyncDevice(server.url, await server.enrollmentToken(), { dir });
      const deviceId = enrolled.deviceId;
      await enrolled.close();

      const journal = join(home.path, 'journal.log');
      const bundle = await buildChaosDevice();
      const result = await runKillRounds(
        bundle.path,
        { dir, serverUrl: server.url, journal, pool, captureEveryMs: 25, leaseMs: 1_500 },
        ROUNDS,
        400,
        seededRandom(SEED),
      ).finally(() => bundle.remove());
      expect({ seed: SEED, crashes: result.crashes }).toEqual({ seed: SEED, crashes: [] });

      // One last run that is not killed drains what is left (after the dead children's leases lapse).
      const survivor = await startSyncDevice(server.url, null, { dir, deviceId });
      try {
        survivor.stack.engine.start();
        await survivor.drained(60_000);
        const summary = await expectJepsenClean({ journalPath: journal, databaseUrl: server.databaseUrl, deviceId, outbox: survivor.counts() });
        expect(summary.acked).toBeGreaterThan(ROUNDS);
      } finally {
        await survivor.close();
      }
    } finally {
      home.remove();
    }
  });
});
