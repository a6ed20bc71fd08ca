import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../config';
import { dataDirOf } from '../runtime';
import { startEmbeddedPostgres, SYSTEM_DATA_DIR } from './embedded-postgres';

describe('where the data (and the embedded PostgreSQL cluster in it) lives', () => {
  it('root without STINT_DATA_DIR: /var/lib/stint, never its private home', () => {
    expect(dataDirOf(loadEnv({}), true)).toBe(SYSTEM_DATA_DIR);
    expect(SYSTEM_DATA_DIR).toBe('/var/lib/stint');
  });

  it('STINT_DATA_DIR when given (root or not); otherwise the user data dir', () => {
    expect(dataDirOf(loadEnv({ STINT_DATA_DIR: '/srv/stint' }), true)).toBe('/srv/stint');
    expect(dataDirOf(loadEnv({ STINT_DATA_DIR: '/srv/stint' }), false)).toBe('/srv/stint');
    expect(dataDirOf(loadEnv({}), false)).toBe(envPaths('stint', { suffix: '' }).data);
  });
});

describe.skipIf(process.getuid?.() !== 0)('as root, the postgres user must reach the cluster', () => {
  let base: string | undefined;
  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('refuses, naming the directory, when an ancestor is private, and changes no permission above the data dir', async () => {
    base = await mkdtemp(path.join(tmpdir(), 'stint-private-'));
    const dataDir = path.join(base, 'stint');
    mkdirSync(dataDir, { mode: 0o700 });
    const before = (await stat(base)).mode & 0o777;
    await expect(startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg') })).rejects.toThrow(
      `PostgreSQL runs as the postgres user, which cannot enter ${base}`,
    );
    expect((await stat(base)).mode & 0o777).toBe(before);
    expect(before & 0o001).toBe(0);
  });
});

describe('loading embedded-postgres', () => {
  it("keeps the process's own exit code (its exit hook turned a failed test run into exit 0)", () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "const m = await import('./server/store/embedded-postgres.ts'); await m.loadEmbeddedPostgres(); process.exitCode = 3;"],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});
