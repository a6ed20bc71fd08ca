import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTracker } from '../tracker';
import type { Tracker } from '../tracker-types';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { createSessionService } from './session-service';
import { serverDataDir } from './server-dirs';

const LOCAL = { id: '00000000-0000-4000-8000-000000000001', name: 'Local', tasks: [] };
let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

async function signedOutTracker(dataDir: string): Promise<{ tracker: Tracker; session: ReturnType<typeof createSessionService> }> {
  const session = createSessionService({ dataDir, deviceName: 'session test', log: () => undefined });
  const tracker = await createTracker(
    { clock: session.clock, capturer: { module: syntheticCapturerModule, options: {} }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
    { dataDir, projects: [LOCAL], policy: { screenshotsPerSlot: 0 } },
  );
  session.bind(tracker);
  tracker.useSession(session.handlers);
  return { tracker, session };
}

describe('sign-in, enrollment and sign-out from the window (TrackerApi session methods)', () => {
  it('answers each failed sign-in with its reason in words, and stays signed out', async () => {
    const dir = tempDir();
    const { tracker } = await signedOutTracker(dir.path);
    try {
      expect(await tracker.api['session.get']({})).toEqual({ state: 'signed-out' });
      await expect(tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.employee.email, password: 'not the password' })).rejects.toMatchObject({
        code: 'failed_precondition',
        message: expect.stringMatching(/^wrong email or password/),
      });
      await expect(tracker.api['session.signIn']({ serverUrl: 'http://127.0.0.1:9', email: server.seed.employee.email, password: 'x' })).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/^cannot reach the server at http:\/\/127\.0\.0\.1:9: /),
      });
      await expect(tracker.api['session.enroll']({ serverUrl: server.url, token: 'x'.repeat(40) })).rejects.toMatchObject({
        code: 'failed_precondition',
        message: expect.stringMatching(/^the enrollment token was refused/),
      });
      expect(await tracker.api['session.get']({})).toEqual({ state: 'signed-out' });
      expect((await tracker.api['status.get']({})).sync.state).toBe('signed-out');
    } finally {
      await tracker.shutdown();
      dir.remove();
    }
  });

  it('signs in while running: the engine plugs in with the org projects, the session carries no token, and what is tracked reaches the server', async () => {
    const dir = tempDir();
    const { tracker } = await signedOutTracker(dir.path);
    try {
      const session = await tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.employee.email, password: server.seed.employee.password });
      expect(session).toMatchObject({ state: 'signed-in', role: 'employee', user: { email: server.seed.employee.email }, serverUrl: server.url });
      expect(JSON.stringify(session)).not.toMatch(/token/i);
      expect((await tracker.api['projects.list']({})).map((p) => p.id)).toContain(server.seed.project.id);
      await tracker.api['timer.start']({ projectId: server.seed.project.id });
      await expect.poll(async () => (await tracker.api['status.get']({})).queue.ops, { timeout: 15_000 }).toBe(0);
      expect((await tracker.api['status.get']({})).sync.state).not.toBe('signed-out');
    } finally {
      await tracker.shutdown();
      dir.remove();
    }
  });

  it('signing in while the timer runs on the local project stops it and keeps its time on the device; nothing of it is refused by the server', async () => {
    const dir = tempDir();
    const { tracker } = await signedOutTracker(dir.path);
    try {
      await tracker.api['timer.start']({ projectId: LOCAL.id });
      await new Promise((r) => setTimeout(r, 2_000));
      await tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.employee.email, password: server.seed.employee.password });
      const status = await tracker.api['status.get']({});
      expect(status.running).toBeFalsy();
      expect(status.todaySeconds).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => (await tracker.api['status.get']({})).queue, { timeout: 15_000 }).toMatchObject({ ops: 0 });
      expect(await tracker.api['sync.deadLetters']({})).toEqual([]);
    } finally {
      await tracker.shutdown();
      dir.remove();
    }
  });

  it('sign-out refuses while records wait unless confirmed, then keeps them queued and forgets the credential; another account cannot take them', async () => {
    const dir = tempDir();
    const { tracker } = await signedOutTracker(dir.path);
    try {
      await tracker.api['session.enroll']({ serverUrl: server.url, token: await server.enrollmentToken() });
      await tracker.api['timer.start']({ projectId: server.seed.project.id });
      await server.stop(); // records now wait on the device
      await tracker.api['timer.stop']({});
      const waiting = (await tracker.api['status.get']({})).queue;
      expect(waiting.ops).toBeGreaterThan(0);
      await expect(tracker.api['session.signOut']({})).rejects.toMatchObject({
        code: 'failed_precondition',
        message: expect.stringMatching(/^\d+ records are not on the server yet\. Sign out anyway/),
      });
      expect(await tracker.api['session.signOut']({ confirm: true })).toEqual({ state: 'signed-out' });
      expect((await tracker.api['status.get']({})).queue.ops).toBe(waiting.ops);
      expect(existsSync(join(serverDataDir(dir.path, server.url), 'credentials.json'))).toBe(false);

      await server.restart();
      await expect(tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.manager.email, password: server.seed.manager.password })).rejects.toMatchObject({
        code: 'failed_precondition',
        message: expect.stringMatching(/records of .* are not on the server yet: sign in as/),
      });
      expect(await tracker.api['session.get']({})).toEqual({ state: 'signed-out' });
      // The employee's own sign-in sends them.
      await tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.employee.email, password: server.seed.employee.password });
      await expect.poll(async () => (await tracker.api['status.get']({})).queue.ops, { timeout: 15_000 }).toBe(0);
    } finally {
      await server.restart().catch(() => undefined);
      await tracker.shutdown();
      dir.remove();
    }
  });
  it('sign-out of a password session ends it on the server: the refresh token it held is refused afterwards', async () => {
    const dir = tempDir();
    const { tracker } = await signedOutTracker(dir.path);
    try {
      await tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed.employee.email, password: server.seed.employee.password });
      const held = JSON.parse(readFileSync(join(serverDataDir(dir.path, server.url), 'credentials.json'), 'utf8')) as { refreshToken: string };
      expect(await tracker.api['session.signOut']({ confirm: true })).toEqual({ state: 'signed-out' });
      const refresh = await fetch(`${server.url}/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: held.refreshToken }) });
      expect(refresh.status).toBe(401);
    } finally {
      await tracker.shutdown();
      dir.remove();
    }
  });
});
