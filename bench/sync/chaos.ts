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
import { newId } from '../../src/shared/ids';
import { tempDir } from '../../src/sync/test-support/temp-dir';
import { buildChaosDevice } from '../../src/sync/test-support/chaos-bundle';
import { readJournal } from '../../src/sync/test-support/device-journal';
import { startFaultProxy, type FaultRule } from '../../test/infra/fault-proxy';
import { runKillRounds } from '../../src/sync/test-support/kill-rounds';
import { seededRandom } from '../../src/sync/test-support/seeded-random';
import { startRealServer } from '../../src/sync/test-support/real-server';
import { serverTruth } from '../../src/sync/test-support/server-truth';
import { startSyncDevice } from '../../src/sync/test-support/sync-device';
import { tinyWebp } from '../../src/sync/test-support/tiny-images';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 200);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);

const apiFaults: FaultRule[] = [
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.05, action: { kind: 'respond', status: 503 } },
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.03, action: { kind: 'respond', status: 429, retryAfter: 1 } },
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.03, action: { kind: 'reset-request' } },
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.03, action: { kind: 'reset-response' } },
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.02, action: { kind: 'stall', ms: 700, then: 'drop' } },
  { path: /^\/v1\/(sync|screenshots)/, probability: 0.08, action: { kind: 'drop-response' } },
];
const s3Faults: FaultRule[] = [
  { method: 'PUT', probability: 0.05, action: { kind: 'respond', status: 500 } },
  { method: 'PUT', probability: 0.05, action: { kind: 'reset-request' } },
  { method: 'PUT', probability: 0.08, action: { kind: 'drop-response' } },
  { method: 'PUT', probability: 0.03, action: { kind: 'stall', ms: 500, then: 'forward' } },
];

async function main(): Promise<void> {
  const started = Date.now();
  const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  const s3Door = await startFaultProxy({ upstream: s3.endpoint, seed: SEED + 1 });
  const server = await startRealServer({ postgresUrl: pg.url, s3, s3Via: s3Door.url });
  const apiDoor = await startFaultProxy({ upstream: server.url, seed: SEED + 2 });
  const home = tempDir('stint-chaos-');
  try {
    const dir = join(home.path, 'device');
    const pool = join(home.path, 'pool');
    mkdirSync(pool, { recursive: true });
    for (let i = 0; i < 8; i++) writeFileSync(join(pool, `${i}.webp`), await tinyWebp(newId()));
    const enrolled = await startSyncDevice(apiDoor.url, await server.enrollmentToken(), { dir });
    const deviceId = enrolled.deviceId;
    await enrolled.close();
    apiDoor.setRules(apiFaults);
    s3Door.setRules(s3Faults);
    const journal = join(home.path, 'journal.log');
    const bundle = await buildChaosDevice();
    const kills = await runKillRounds(
      bundle.path,
      { dir, serverUrl: apiDoor.url, journal, pool, captureEveryMs: 25, leaseMs: 1_500 },
      ROUNDS,
      600,
      seededRandom(SEED),
    ).finally(() => bundle.remove());
    apiDoor.setRules([]);
    s3Door.setRules([]);
    const survivor = await startSyncDevice(apiDoor.url, null, { dir, deviceId });
    survivor.stack.engine.start();
    await survivor.drained(120_000);
    const outbox = survivor.counts();
    await survivor.close();

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
