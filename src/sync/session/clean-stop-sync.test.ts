import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTracker } from '../tracker';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { prepareAgentSync } from './agent-session';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

async function teamNow(): Promise<Array<{ userId: string; tracking: boolean; entry: unknown; lastSeenAt: string | null }>> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.seed.manager.email, password: server.seed.manager.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${server.url}/v1/team/now`, { headers: { authorization: `Bearer ${accessToken}` } });
  return ((await res.json()) as { members: Awaited<ReturnType<typeof teamNow>> }).members;
}

describe('a clean stop syncs what it can', () => {
  it('sends the closed entry and the last minute before it exits: the manager sees the employee stopped at once, never seen in the future', async () => {
    const dir = tempDir();
    try {
      const logs: string[] = [];
      const sync = (await prepareAgentSync({
        dataDir: dir.path,
        env: { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: await server.enrollmentToken() },
        deviceName: 'clean stop',
        log: () => undefined,
      }))!;
      const tracker = await createTracker(
        {
          capturer: { module: syntheticCapturerModule, options: {} },
          idle: { idleMs: async () => 0 },
          windows: { current: async () => ({ app: 'editor', title: null }) },
          log: (l) => logs.push(l),
          clock: sync.ports.clock,
          sync: sync.ports.sync,
        },
        { dataDir: dir.path, projects: sync.projects, policy: { ...sync.policy, screenshotsPerSlot: 0 }, serverUrl: sync.serverUrl },
      );
      await tracker.api['timer.start']({ projectId: server.seed.project.id });
      await expect.poll(async () => (await teamNow()).find((m) => m.userId === server.seed.employee.id)?.tracking, { timeout: 15_000 }).toBe(true);
      await new Promise((r) => setTimeout(r, 1_500)); // a part-minute of activity
      await tracker.shutdown();
      expect(logs).toContain('shutdown: the closed entry and the last minute reached the server');

      const me = (await teamNow()).find((m) => m.userId === server.seed.employee.id)!;
      expect(me).toMatchObject({ tracking: false, entry: null });
      expect(me.lastSeenAt).not.toBeNull();
      expect(Date.parse(me.lastSeenAt!)).toBeLessThanOrEqual(Date.now());
    } finally {
      dir.remove();
    }
  });
});
