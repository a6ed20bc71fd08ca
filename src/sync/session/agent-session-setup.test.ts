import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileCredentialStore } from '../api/credential-store';
import { tempDir } from '../test-support/temp-dir';
import { prepareAgentSync } from './agent-session';
import { lastServerUrl, serverDataDir } from './server-dirs';
import { startRealServer, type RealServer } from '../test-support/real-server';

// What the agent's sync set-up answers to each bad input.
let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

const setup = (dataDir: string, env: Record<string, string>) => prepareAgentSync({ dataDir, env, deviceName: 'test', log: () => undefined });

describe('agent sync set-up', () => {
  it('runs offline (null) when no server is configured', async () => {
    const dir = tempDir();
    try {
      await expect(setup(dir.path, {})).resolves.toBeNull();
    } finally {
      dir.remove();
    }
  });

  it('refuses a server without a way to sign in, naming the variables to set', async () => {
    const dir = tempDir();
    try {
      await expect(setup(dir.path, { STINT_SERVER_URL: server.url })).rejects.toThrow(/STINT_ENROLLMENT_TOKEN, or STINT_EMAIL and STINT_PASSWORD/);
    } finally {
      dir.remove();
    }
  });

  it('passes on the server’s reason for a wrong enrollment token or password', async () => {
    const dir = tempDir();
    try {
      await expect(setup(dir.path, { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: 'x'.repeat(32) })).rejects.toThrow(/^enrollment on http:\/\/127\.0\.0\.1:\d+ failed: 40[0-4] /);
      await expect(
        setup(dir.path, { STINT_SERVER_URL: server.url, STINT_EMAIL: server.seed.employee.email, STINT_PASSWORD: 'wrong password' }),
      ).rejects.toThrow(/^sign-in on http:\/\/127\.0\.0\.1:\d+ failed: 401 /);
    } finally {
      dir.remove();
    }
  });

  it('keeps the credential owner-only and reuses it on the next start without a token', async () => {
    const dir = tempDir();
    try {
      const first = await setup(dir.path, { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: await server.enrollmentToken() });
      expect(statSync(join(serverDataDir(dir.path, server.url), 'credentials.json')).mode & 0o777).toBe(0o600);
      const again = await setup(dir.path, {});
      expect(again).toMatchObject({ serverUrl: server.url, deviceId: first!.deviceId });
      expect(again!.projects.map((p) => p.id)).toContain(server.seed.project.id);
    } finally {
      dir.remove();
    }
  });

  it('says which file is broken when the stored credential is not valid', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'credentials.json'), JSON.stringify({ kind: 'device', serverUrl: server.url }));
      expect(() => fileCredentialStore(join(dir.path, 'credentials.json')).load()).toThrow(/credentials\.json is not valid/);
      await expect(setup(dir.path, { STINT_SERVER_URL: server.url })).rejects.toThrow(/credentials\.json is not valid/);
    } finally {
      dir.remove();
    }
  });

  it('keeps a credential per server: another server URL enrolls with the token it is given, and the first one still works without a token', async () => {
    const dir = tempDir();
    const other = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
    try {
      const first = await setup(dir.path, { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: await server.enrollmentToken() });
      // Without a token the other server is refused with the variables to set, and nothing of the first is touched.
      await expect(setup(dir.path, { STINT_SERVER_URL: other.url })).rejects.toThrow(/^not enrolled on http:\/\/127\.0\.0\.1:\d+: set STINT_ENROLLMENT_TOKEN/);
      const second = await setup(dir.path, { STINT_SERVER_URL: other.url, STINT_ENROLLMENT_TOKEN: await other.enrollmentToken() });
      expect(second!.deviceId).not.toBe(first!.deviceId);
      expect(second!.projects.map((p) => p.id)).toContain(other.seed.project.id);
      expect(lastServerUrl(dir.path)).toBe(other.url);
      const back = await setup(dir.path, { STINT_SERVER_URL: server.url });
      expect(back).toMatchObject({ serverUrl: server.url, deviceId: first!.deviceId });
      expect(back!.projects.map((p) => p.id)).toContain(server.seed.project.id);
      expect(back!.projects.map((p) => p.id)).not.toContain(other.seed.project.id);
    } finally {
      await other.close();
      dir.remove();
    }
  });

  it('adopts a data dir from before per-server credentials: the old credentials.json moves into its server folder and keeps working', async () => {
    const dir = tempDir();
    try {
      const first = await setup(dir.path, { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: await server.enrollmentToken() });
      const folder = serverDataDir(dir.path, server.url);
      const stored = fileCredentialStore(join(folder, 'credentials.json')).load()!;
      // The layout an earlier version wrote: one credentials.json at the top of the data dir.
      writeFileSync(join(dir.path, 'credentials.json'), JSON.stringify(stored), { mode: 0o600 });
      rmSync(join(dir.path, 'servers'), { recursive: true, force: true });
      const again = await setup(dir.path, {});
      expect(again).toMatchObject({ serverUrl: server.url, deviceId: first!.deviceId });
      expect(existsSync(join(dir.path, 'credentials.json'))).toBe(false);
      expect(existsSync(join(folder, 'credentials.json'))).toBe(true);
    } finally {
      dir.remove();
    }
  });
});
