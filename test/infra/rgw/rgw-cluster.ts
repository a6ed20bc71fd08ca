import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monAddress, renderCephConf } from './ceph-conf';
import { commandLine, freePorts, isAlive, runTool, spawnDaemon, stopPid } from './daemon-process';
import { logTails, waitForHttp } from './readiness';

/** What a running cluster needs to be reached and stopped, also saved as `<dir>/state.json`. */
export interface RgwState {
  dir: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** In stop order: radosgw before the osd (the other order hangs rgw's shutdown for 120 s). */
  pids: { rgw: number; osd: number; mon: number };
  watchdogPid: number | null;
}

export interface StartOptions {
  /** Stop the cluster if this process dies without calling stop (tests: yes; the CLI: no). */
  watchdog?: boolean;
  /** Overall start-up limit. */
  timeoutMs?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const REGION = 'us-east-1';

export async function startRgwCluster(options: StartOptions = {}): Promise<RgwState> {
  for (const tool of ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'monmaptool', 'ceph']) {
    if (!onPath(tool)) {
      throw new Error(
        `${tool} not found: install Ceph's RADOS Gateway (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw) or set S3_TEST_ENDPOINT`,
      );
    }
  }
  // A port picked free can be taken by someone else before the daemon binds it: one more try.
  try {
    return await startOnce(options);
  } catch (first) {
    if (!(first instanceof Error) || !/Address already in use|bind/i.test(first.message)) throw first;
    return startOnce(options);
  }
}

async function startOnce({ watchdog = false, timeoutMs = 30_000 }: StartOptions): Promise<RgwState> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1_000, deadline - Date.now());
  const dir = mkdtempSync(join(tmpdir(), 'stint-rgw-'));
  for (const sub of ['run', 'log', 'mon', 'osd/osd.0', 'rgw', 'crash']) mkdirSync(join(dir, sub), { recursive: true });
  const [monPort, rgwPort] = (await freePorts(2)) as [number, number];
  const conf = join(dir, 'ceph.conf');
  const fsid = randomUUID();
  writeFileSync(conf, renderCephConf({ dir, fsid, monPort, rgwPort }));
  const pids: Partial<RgwState['pids']> = {};
  const c = ['-c', conf];
  try {
    await runTool('monmaptool', ['--create', '--add', 'a', monAddress(monPort), '--fsid', fsid, join(dir, 'monmap')]);
    await runTool('ceph-mon', [...c, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap')], left());
    pids.mon = spawnDaemon('ceph-mon', [...c, '-f', '-i', 'a'], join(dir, 'log/mon.out'));
    const osdUuid = randomUUID();
    const osdId = (await runTool('ceph', [...c, '--connect-timeout', '10', 'osd', 'new', osdUuid], left())).trim();
    if (osdId !== '0') throw new Error(`expected osd id 0 from a fresh cluster, got "${osdId}"`);
    await runTool('ceph-osd', [...c, '--mkfs', '-i', '0', '--osd-uuid', osdUuid], left());
    pids.osd = spawnDaemon('ceph-osd', [...c, '-f', '-i', '0'], join(dir, 'log/osd.out'));
    // radosgw waits by itself for the osd to come up; readiness = it answers HTTP.
    pids.rgw = spawnDaemon('radosgw', [...c, '-f', '-n', 'client.rgw'], join(dir, 'log/rgw.out'));
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitForHttp(endpoint, pids, deadline);
    const accessKeyId = `STINT${randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(30).toString('base64url');
    await runTool(
      'radosgw-admin',
      [...c, 'user', 'create', '--uid=stint-test', '--display-name=Stint tests', `--access-key=${accessKeyId}`, `--secret=${secretAccessKey}`],
      left(),
    );
    const state: RgwState = {
      dir,
      endpoint,
      region: REGION,
      accessKeyId,
      secretAccessKey,
      pids: pids as RgwState['pids'],
      watchdogPid: null,
    };
    if (watchdog) {
      state.watchdogPid = spawnDaemon(
        'bash',
        [join(here, 'watchdog.sh'), String(process.pid), dir, String(pids.rgw), String(pids.osd), String(pids.mon)],
        '/dev/null',
      );
    }
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 2));
    return state;
  } catch (err) {
    const tails = logTails(dir);
    await stopDaemons(dir, [pids.rgw, pids.osd, pids.mon]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Ceph RADOS Gateway did not start: ${message}\n${tails}`, { cause: err });
  }
}

/** Stops the daemons in order (rgw, osd, mon) by PID, then removes the cluster's directory. */
export async function stopRgwCluster(state: RgwState): Promise<void> {
  if (state.watchdogPid !== null && isAlive(state.watchdogPid)) {
    try {
      process.kill(-state.watchdogPid, 'SIGTERM'); // its whole group: bash and its sleep
    } catch {
      // already gone
    }
  }
  await stopDaemons(state.dir, [state.pids.rgw, state.pids.osd, state.pids.mon]);
  rmSync(state.dir, { recursive: true, force: true });
}

export function readRgwState(dir: string): RgwState {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) throw new Error(`no Stint RGW cluster state at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as RgwState;
}

async function stopDaemons(dir: string, pids: Array<number | undefined>): Promise<void> {
  for (const pid of pids) {
    // Only signal a PID that is still one of ours (its command line names our ceph.conf).
    if (pid !== undefined && commandLine(pid).includes(dir)) await stopPid(pid);
  }
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((p) => p && existsSync(join(p, tool)));
}
