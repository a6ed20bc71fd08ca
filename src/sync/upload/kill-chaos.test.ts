import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir';
import { expectJepsenClean } from '../test-support/jepsen-check';
import { drainSurvivor, killChaosDevice, setUpChaosDevice } from '../test-support/kill-chaos-run';
import { seededRandom } from '../test-support/seeded-random';
import { startRealServer, type RealServer } from '../test-support/real-server';

// The device process dies by SIGKILL at random points, again and again, on one outbox.
// STINT_KILL_ROUNDS and STINT_KILL_SEED replay a run; a failure reports its seed.
// 60 rounds keep CI inside its budget; `npm run bench:sync:chaos` runs hundreds (CHAOS_ROUNDS).
const ROUNDS = Number(process.env.STINT_KILL_ROUNDS ?? 60);
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
      const device = await setUpChaosDevice(home.path, server.url, await server.enrollmentToken());
      const result = await killChaosDevice(device, server.url, ROUNDS, 400, seededRandom(SEED));
      expect({ seed: SEED, crashes: result.crashes }).toEqual({ seed: SEED, crashes: [] });

      const summary = await drainSurvivor(device, server.url, 60_000, (outbox) =>
        expectJepsenClean({ journalPath: device.journal, databaseUrl: server.databaseUrl, deviceId: device.deviceId, outbox, objects: server }),
      );
      expect(summary.acked).toBeGreaterThan(ROUNDS);
    } finally {
      home.remove();
    }
  });
});
