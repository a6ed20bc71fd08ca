import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildShell } from '../scripts/electron/build-shell';
import { findElectronBinary } from '../scripts/electron/electron-binary';
import { createPortClient } from '../src/sync/port-bridge/port-transport';
import { forkChannel } from '../src/sync/port-bridge/process-channel';
import { tempDir } from '../src/sync/test-support/temp-dir';
import { startXvfb } from './infra/xvfb';

const ROOT = join(import.meta.dirname, '..');
const electron = findElectronBinary(ROOT);

describe('the packaged app', () => {
  // What an installer ships as the tracker core is out/core/*.mjs (electron-builder.yml), not the
  // TypeScript the dev layout runs: this starts that bundle under plain Node, as the utilityProcess would.
  it('its core bundle starts, answers over its channel and stops cleanly', async () => {
    // Inside the repository, so the bundle's external modules (better-sqlite3, sharp) resolve from node_modules.
    const out = join(ROOT, '.vitest-tmp', `core-bundle-${process.pid}`);
    const data = tempDir();
    mkdirSync(out, { recursive: true });
    try {
      await buildShell(out, { core: true });
      const { DISPLAY: _none, ...env } = process.env;
      const child = fork(join(out, 'core/core-main.mjs'), [], { env: { ...env, STINT_DATA_DIR: data.path }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const client = createPortClient(forkChannel(child), { idleMs: () => 0 });
      await client.ready;
      const [project] = await client.api['projects.list']({});
      expect(project?.name).toBe('Local project');
      await client.api['timer.start']({ projectId: project!.id });
      expect((await client.api['status.get']({})).running?.projectId).toBe(project!.id);
      const stopped = new Promise<unknown>((resolve) => child.on('message', (m: { kind?: string }) => m?.kind === 'stopped' && resolve(m)));
      client.host({ type: 'shutdown' });
      expect(await stopped).toEqual({ kind: 'stopped', clean: true });
      client.close();
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    } finally {
      rmSync(out, { recursive: true, force: true });
      data.remove();
    }
  }, 60_000);

  it.skipIf('missing' in electron)(
    `electron-builder --linux dir builds it and it starts${'missing' in electron ? ` (skipped: ${electron.missing})` : ''}`,
    async () => {
      const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/electron/package.ts', '--linux', 'dir', '--config.directories.output=.vitest-tmp/release'], { cwd: ROOT, encoding: 'utf8' });
      expect(built.status, built.stdout + built.stderr).toBe(0);
      const bin = join(ROOT, '.vitest-tmp/release/linux-unpacked/stint');
      expect(existsSync(bin)).toBe(true);
      const x = await startXvfb();
      const data = tempDir();
      try {
        const app = spawn(bin, ['--hidden', '--no-sandbox'], { env: { ...x.env, STINT_DATA_DIR: data.path }, stdio: ['ignore', 'pipe', 'pipe'] });
        let log = '';
        const ready = await new Promise<boolean>((resolve) => {
          const look = (d: Buffer) => {
            log += d.toString();
            if (log.includes('tracker core ready')) resolve(true);
          };
          app.stdout.on('data', look);
          app.stderr.on('data', look);
          app.once('exit', () => resolve(false));
        });
        expect(ready, log).toBe(true);
        app.kill('SIGTERM');
      } finally {
        await x.stop();
        data.remove();
      }
    },
    600_000,
  );
});
