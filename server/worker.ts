import { pino } from 'pino';
import { loadEnv } from './config';
import { startWorkers } from './jobs/workers';
import { RevocationCheck } from './auth/revocation-check';
import { AccessTokens } from './auth/tokens';
import type { ServiceContext } from './services/context';
import { openRuntime } from './runtime';

/** `npm run worker`: runs the jobs (thumbnails, verification, retention) in a process of its own. */
async function main(): Promise<void> {
  const env = loadEnv();
  const rt = await openRuntime(env, 'worker');
  const now = () => new Date();
  const ctx: ServiceContext = {
    db: rt.db,
    blobs: rt.blobs,
    jobs: rt.queue,
    tokens: new AccessTokens(rt.settings.secret, rt.settings.accessTokenSeconds, now),
    revocations: new RevocationCheck(rt.db.pool, now),
    settings: rt.settings,
    now,
    log: rt.log ?? pino(),
    publicUrl: rt.publicUrl,
  };
  await startWorkers(rt.queue, ctx);
  process.stdout.write('stint worker running\n');
  const shutdown = async () => {
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  process.stderr.write(`stint worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
