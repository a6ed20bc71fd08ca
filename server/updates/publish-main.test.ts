import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir, writeUpdateBuild } from '../test-support/update-build';

const MAIN = path.join(import.meta.dirname, 'publish-main.ts');
const data = scratchDir('stint-server-data-');
afterAll(() => data.remove());

/** `npm run publish-update -- …` on the fs driver of a server whose data dir is `data`. */
function publish(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH, BLOB_DRIVER: 'fs', STINT_DATA_DIR: data.path, STINT_SECRET: 'x'.repeat(40) },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run publish-update', () => {
  it('without a folder or a channel: the usage, exit 2', () => {
    expect(publish()).toMatchObject({ code: 2, err: expect.stringContaining('usage: npm run publish-update -- <build folder> --channel <stable|beta>') });
    expect(publish('release')).toMatchObject({ code: 2 });
  });

  it('a folder whose artefact is not the one its yml names: refused with the reason, exit 1, nothing written', () => {
    const dir = scratchDir('stint-release-');
    try {
      const build = writeUpdateBuild(dir.path, '0.9.0');
      writeFileSync(path.join(dir.path, build.artefact), 'tampered');
      const r = publish(dir.path, '--channel', 'stable');
      expect(r.code).toBe(1);
      expect(r.err).toContain('refused, nothing uploaded');
      expect(r.err).toContain(`${build.artefact} is 8 bytes, the yml says ${build.bytes.length}`);
      expect(r.err).toContain(`sha512 mismatch for ${build.artefact}`);
      expect(existsSync(path.join(data.path, 'blobs/updates/stable/latest-linux.yml'))).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('an unknown channel: refused, exit 1', () => {
    const r = publish(data.path, '--channel', 'nightly');
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining('unknown channel "nightly": use one of stable, beta') });
  });

  it('a good folder: every file uploaded into the server blob store, exit 0', () => {
    const dir = scratchDir('stint-release-');
    try {
      const build = writeUpdateBuild(dir.path, '1.0.0');
      const r = publish(dir.path, '--channel', 'stable');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('latest-linux.yml: version 1.0.0');
      expect(r.out).toContain(`uploaded: ${build.artefact}`);
      expect(readFileSync(path.join(data.path, 'blobs/updates/stable', build.artefact))).toEqual(build.bytes);
      expect(readFileSync(path.join(data.path, 'blobs/updates/stable/latest-linux.yml'), 'utf8')).toContain(build.sha512);
    } finally {
      dir.remove();
    }
  });
});
