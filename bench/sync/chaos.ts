/**
 * The long chaos run (`npx tsx bench/sync/chaos.ts`): many SIGKILL rounds of the bundled chaos
 * device while fault proxies between it and the server and S3 inject 5xx, 429, resets, stalls
 * and lost answers; then a Jepsen-style check. CHAOS_ROUNDS (default 200, about 5 minutes), CHAOS_SEED.
 * Results: docs/bench/sync-chaos.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestPostgres } from '../../test/infra/postgres';
import { startTestS3 } from '../../test/infra/s3';
import { tempDir } from '../../src/sync/test-support/temp-dir';
import { chaosFaults } from '../../src/sync/test-support/chaos-faults';
import { readJournal } from '../../src/sync/test-support/device-journal';
import { startFaultProxy } from '../../test/infra/fault-proxy';
import { drainSurvivor, killChaosDevice, setUpChaosDevice } from '../../src/sync/test-support/kill-chaos-run';
import { seededRandom } from '../../src/sync/test-support/seeded-random';
import { startRealServer } from '../../src/sync/test-support/real-server';
import { serverTruth } from '../../src/sync/test-support/server-truth';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 200);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);

const { api: apiFaults, s3: s3Faults } = chaosFaults();

async function main(): Promise<void> {
  const started = Date.now();
  const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const s3Door = await startFaultProxy({ upstream: s3.endpoint, seed: SEED + 1 });
  const server = await startRealServer({ postgresUrl: pg.url, s3, s3Via: s3Door.url });
  const apiDoor = await startFaultProxy({ upstream: server.url, seed: SEED + 2 });
  const home = tempDir('stint-chaos-');
  try {
    const device = await setUpChaosDevice(home.path, apiDoor.url, await server.enrollmentToken());
    const { journal, deviceId } = device;
    apiDoor.setRules(apiFaults);
    s3Door.setRules(s3Faults);
    const kills = await killChaosDevice(device, apiDoor.url, ROUNDS, 600, seededRandom(SEED));
    apiDoor.setRules([]);
    s3Door.setRules([]);
    const outbox = await drainSurvivor(device, apiDoor.url, 120_000, async (counts) => counts);

    const view = readJournal(journal);
    const truth = await serverTruth(server.databaseUrl, deviceId);
    const missing = [...view.acked.shot].filter((id) => truth.shots.get(id)?.state !== 'stored').concat([...view.acked.op].filter((id) => !truth.ops.has(id)));
    const unknown = [...truth.shots.keys()].filter((id) => !view.begun.shot.has(id)).concat([...truth.ops.keys()].filter((id) => !view.begun.op.has(id)));
    const duplicated = [...truth.shots.values()].filter((s) => s.count !== 1).length + [...truth.ops.values()].filter((n) => n !== 1).length;
    const result = {
      measuredAt: new Date().toISOString(),
      command: `CHAOS_ROUNDS=${ROUNDS} CHAOS_SEED=${SEED} npx tsx bench/sync/chaos.ts`,
      seed: SEED,
      rounds: ROUNDS,
      crashes: kills.crashes,
      acked: { screenshots: view.acked.shot.size, ops: view.acked.op.size },
      begunNotAcked: view.begun.shot.size + view.begun.op.size - view.acked.shot.size - view.acked.op.size,
      onServer: { screenshots: truth.shots.size, ops: truth.ops.size },
      faults: { api: apiDoor.counts, s3: s3Door.counts },
      missing,
      unknown,
      duplicated,
      outbox,
      ok: kills.crashes.length === 0 && missing.length === 0 && unknown.length === 0 && duplicated === 0 && outbox.screenshots + outbox.ops + outbox.dead === 0,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    const docs = fileURLToPath(new URL('../../docs/bench/', import.meta.url));
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, 'sync-chaos.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    if (!result.ok) process.exitCode = 1;
  } finally {
    home.remove();
    await apiDoor.stop();
    await server.close();
    await s3Door.stop();
    await s3.stop();
    await pg.stop();
  }
}

await main();
