// The server under benchmark, in a process of its own so its CPU time can be read apart from
// the load generator's. Started by bench/server/run.ts; prints one JSON line with its URLs.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AccessTokens } from '../../server/auth/tokens';
import { RevocationCheck } from '../../server/auth/revocation-check';
import { start } from '../../server/app';
import { BASELINE_SCHEMA, baselineApp } from './baseline-app';
import { startBenchApi } from './bench-api';

const env = process.env as Record<string, string>;
const secret = randomBytes(32).toString('base64url');
const stint = await startBenchApi(secret);

const legacyPool = new pg.Pool({ connectionString: env.BASELINE_DATABASE_URL, max: 20 });
await legacyPool.query(BASELINE_SCHEMA);
const legacy = baselineApp(legacyPool, new AccessTokens(secret, 900, () => new Date()), new RevocationCheck(stint.db.pool, () => new Date()));
legacy.get('/bench/cpu', (_req, res) => void res.json(process.cpuUsage()));
const legacyListening = await start(legacy);

process.stdout.write(`${JSON.stringify({ stint: stint.url, baseline: legacyListening.url })}\n`);
process.on('SIGTERM', async () => {
  await legacyListening.stop();
  await stint.stop();
  await legacyPool.end();
  process.exit(0);
});
