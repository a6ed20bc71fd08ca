/**
 * Start or stop a throw-away Ceph RADOS Gateway (S3 with SigV4 checks) on 127.0.0.1 by hand.
 *   npx tsx test/infra/rgw/rgw.ts run                # prints `export S3_TEST_...=` lines; Ctrl-C stops it
 *   eval "$(npx tsx test/infra/rgw/rgw.ts start)"   # same lines + STINT_RGW_DIR; keeps running
 *   npx tsx test/infra/rgw/rgw.ts stop [dir]        # dir defaults to $STINT_RGW_DIR
 */
import type { RgwState } from './rgw-cluster';
import { readRgwState, startRgwCluster, stopRgwCluster } from './rgw-cluster';

function printExports(s: RgwState, started: number): void {
  const vars = {
    S3_TEST_ENDPOINT: s.endpoint,
    S3_TEST_REGION: s.region,
    S3_TEST_ACCESS_KEY_ID: s.accessKeyId,
    S3_TEST_SECRET_ACCESS_KEY: s.secretAccessKey,
    STINT_RGW_DIR: s.dir,
  };
  for (const [k, v] of Object.entries(vars)) console.log(`export ${k}='${v}'`);
  console.error(`radosgw ready at ${s.endpoint} in ${Date.now() - started} ms (pids ${JSON.stringify(s.pids)})`);
}

async function main(command: string | undefined, arg: string | undefined): Promise<void> {
  const started = Date.now();
  if (command === 'start') {
    printExports(await startRgwCluster(), started);
  } else if (command === 'run') {
    // The watchdog stops the cluster even if this process is killed with SIGKILL.
    const state = await startRgwCluster({ watchdog: true });
    printExports(state, started);
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise((resolve) => ['SIGINT', 'SIGTERM', 'SIGHUP'].forEach((s) => process.once(s, resolve)));
    clearInterval(keepAlive);
    await stopRgwCluster(state);
    console.error(`stopped and removed ${state.dir}`);
  } else if (command === 'stop') {
    const dir = arg ?? process.env.STINT_RGW_DIR;
    if (!dir) throw new Error('stop needs the cluster dir: `rgw.ts stop <dir>` or STINT_RGW_DIR');
    await stopRgwCluster(readRgwState(dir));
    console.error(`stopped and removed ${dir}`);
  } else {
    throw new Error('usage: tsx test/infra/rgw/rgw.ts run | start | stop [dir]');
  }
}

main(process.argv[2], process.argv[3]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
