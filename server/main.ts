import { createApp, createMetricsApp, start } from './app';
import { loadEnv } from './config';
import { demoBanner, ensureDemo } from './demo/demo';
import { startWorkers } from './jobs/workers';
import { openRuntime } from './runtime';

// A stop asked for while starting is kept and served once the server is up (it then stops in
// order); listening from the first line also keeps a signal from cutting a failed start's exit code.
let stopRequest: ((why: string) => void) | null = null;
let requested: string | null = null;
const requestStop = (why: string) => (stopRequest ? stopRequest(why) : (requested ??= why));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => requestStop(signal));

/** `npm run server`: the API on embedded defaults (embedded PostgreSQL, files on disk) or on DATABASE_URL / S3. */
async function main(): Promise<void> {
  const env = loadEnv();
  const rt = await openRuntime(env, 'server');
  const { app, ctx } = createApp({
    db: rt.db,
    ...(rt.readDb ? { readDb: rt.readDb } : {}),
    blobs: rt.blobs,
    jobs: rt.queue,
    settings: { ...rt.settings, trustProxy: env.TRUST_PROXY },
    log: rt.log,
    publicUrl: rt.publicUrl,
    rateLimits: rt.rateLimits,
  });
  if (env.JOBS_IN_PROCESS) await startWorkers(rt.queue, ctx);
  const listening = await start(app, { port: env.PORT, host: env.HOST });
  rt.setPublicUrl(listening.url);
  const metrics = env.METRICS_PORT === undefined ? null : await start(createMetricsApp(rt.queue), { port: env.METRICS_PORT, host: env.METRICS_HOST ?? env.HOST });
  const demo = await ensureDemo(rt.db, rt.dataDir);
  process.stdout.write(`${demoBanner(rt.publicUrl(), demo, rt.dataDir)}\n`);
  process.stdout.write(metrics ? `metrics: ${metrics.url}/metrics\n` : 'metrics: off (set METRICS_PORT to serve /metrics on a port of its own)\n');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    await Promise.all([listening.stop(), metrics?.stop()]);
    await rt.close();
    process.exit(0);
  };
  stopRequest = (why) => void shutdown(why);
  if (requested) stopRequest(requested);
  // Started by `npm start`: stdin is a pipe from the parent, and its end means the parent is gone
  // (even by SIGKILL), so the server stops with it instead of holding the port.
  if (process.env.STINT_PARENT_PIPE === '1') {
    const parentGone = () => {
      // Its end of our stdout and stderr is gone too: a write there must not crash the stop.
      for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
      requestStop('parent gone');
    };
    process.stdin.on('end', parentGone).on('error', parentGone);
    process.stdin.resume();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`stint server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
