import { test as base } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startXvfb } from '../test/infra/xvfb';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/sync/agent/main.ts');

export interface Agent {
  /** The window's URL with the token in the fragment, as the agent prints it. */
  windowUrl: string;
  url: string;
  token: string;
}

/** A real offline agent on its own Xvfb, serving a fresh renderer build. One per worker. */
export const test = base.extend<object, { agent: Agent }>({
  agent: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture list from this destructuring
    async ({}, use) => {
      execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
      const x = await startXvfb({ width: 1280, height: 720 });
      const dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-'));
      const token = 'e2e-token-0123456789abcdef';
      const { STINT_SERVER_URL: _offline, ...env } = x.env;
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--data-dir', dataDir, '--capture-now'], {
        cwd: ROOT,
        env: { ...env, STINT_AGENT_TOKEN: token },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const windowUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /open the Stint window: (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`agent exited (${code}) before it served the window:\n${out}`)));
      });
      child.stdout.resume();
      const url = windowUrl.split('/#')[0]!;
      await use({ windowUrl, url, token });
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await x.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});
export { expect } from '@playwright/test';
