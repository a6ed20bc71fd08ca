import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../scripts/electron/electron-binary';
import { buildShell } from '../scripts/electron/build-shell';
import { startXvfb, type Xvfb } from '../test/infra/xvfb';

// The UI story's core steps on the real Electron app: enroll, start, a screenshot appears, stop,
// and the tray menu follows. Runs wherever an Electron binary is present; skips, saying why, where not.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const found = findElectronBinary(ROOT);

let x: Xvfb;
let server: ChildProcess;
let app: ElectronApplication;
let dir: string;
let serverUrl: string;
let enrollmentToken: string;

test.beforeAll(async () => {
  if (!('path' in found)) return;
  dir = mkdtempSync(join(tmpdir(), 'stint-electron-'));
  execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  await buildShell(join(ROOT, 'out'));
  x = await startXvfb({ width: 1280, height: 720 });
  server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', STINT_DATA_DIR: join(dir, 'server'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serverUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Stint server listening on (\S+)/.exec(out);
      if (m && /^data: /m.test(out)) resolve(m[1]!);
    });
    server.once('exit', (c) => reject(new Error(`the server exited (${c})`)));
  });
  enrollmentToken = (JSON.parse(readFileSync(join(dir, 'server', 'demo.json'), 'utf8')) as { enrollmentToken: string }).enrollmentToken;
  app = await electron.launch({
    executablePath: found.path,
    args: [join(ROOT, 'out/main/main.cjs')],
    env: { ...process.env, ...x.env, STINT_DATA_DIR: join(dir, 'device') },
  });
});

test.afterAll(async () => {
  await app?.close();
  server?.kill('SIGTERM');
  await x?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const trayLabels = () =>
  app.evaluate(({ Menu }) => {
    // The tray's menu is the last context menu main built; read its labels back from main.
    const menu = (globalThis as { __stintTrayMenu?: Electron.Menu }).__stintTrayMenu ?? Menu.getApplicationMenu();
    return menu?.items.map((i) => i.label) ?? [];
  });

test('enroll, start, a screenshot appears, stop; the tray follows', async () => {
  if ('missing' in found) {
    // Printed as well as annotated: the list reporter shows a skip without its reason.
    console.log(`[electron] skipped: ${found.missing}`);
    test.skip(true, found.missing);
    return;
  }
  const page = await app.firstWindow();
  expect(await page.evaluate(() => typeof (globalThis as { stint?: unknown }).stint)).toBe('object');
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  await page.getByRole('tab', { name: 'Enrollment token' }).click();
  await page.getByLabel('Server address').fill(serverUrl);
  await page.getByLabel('Enrollment token').fill(enrollmentToken);
  await page.getByRole('button', { name: /Enroll/ }).click();
  await expect(page.getByRole('heading', { name: 'Timer' })).toBeVisible();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect.poll(trayLabels).toContain('Stop timer');
  await page.getByRole('tab', { name: 'Screenshots' }).click();
  await expect(page.getByRole('list', { name: 'Recent screenshots' }).getByRole('listitem').first()).toBeVisible({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Timer' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Not tracking')).toBeVisible();
  await expect.poll(trayLabels).toContain('Start timer');
});
