import { test as base } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startXvfb } from '../test/infra/xvfb';
import { buildRenderer, startAgentProcess } from './agent-process';

export interface Agent {
  /** The window's URL with the token in the fragment, as the agent prints it. */
  windowUrl: string;
  url: string;
  token: string;
  /** Where the agent writes its start-at-login entry. */
  autostartFile: string;
}

/** A real offline agent on its own Xvfb, serving a fresh renderer build. One per worker. */
export const test = base.extend<object, { agent: Agent }>({
  agent: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture list from this destructuring
    async ({}, use) => {
      buildRenderer();
      const x = await startXvfb({ width: 1280, height: 720 });
      const dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-'));
      const { STINT_SERVER_URL: _offline, ...display } = x.env;
      // Start at login writes its XDG entry into the test's own config folder, never the machine's.
      const env = { ...display, STINT_AUTOSTART_EXEC: '/opt/Stint/stint', XDG_CONFIG_HOME: join(dataDir, 'config') };
      const agent = await startAgentProcess({ dataDir, env, token: 'e2e-token-0123456789abcdef', args: ['--capture-now'] });
      await use({ windowUrl: agent.windowUrl, url: agent.url, token: agent.token, autostartFile: join(dataDir, 'config', 'autostart', 'stint.desktop') });
      await agent.stop();
      await x.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});
export { expect } from '@playwright/test';
