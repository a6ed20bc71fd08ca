import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../shared/ids';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { startSyncDevice } from '../test-support/sync-device';
import { ClockOffset } from './clock-offset';
import { memoryCredentialStore } from './credential-store';
import { SignInRequiredError } from './http-failure';
import { createServerClient } from './server-client';
import { signInWithPassword } from '../session/sign-in';

// Access tokens live one second here, so a backlog outlives many of them. The server's clock is
// the real one unless a test holds it still (a token issued at a held instant cannot expire).
let server: RealServer;
let serverHeldAt: number | null = null;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')!, accessTokenSeconds: 1, now: () => new Date(serverHeldAt ?? Date.now()) });
});
afterAll(async () => server?.close());

async function refreshTokens(userId: string) {
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ used: boolean; revoked: boolean }>(
      `SELECT used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE user_id = $1`,
      [userId],
    );
    return r.rows;
  } finally {
    await client.end();
  }
}

describe('auth session against the real server', () => {
  it('answers a burst of 401s with one refresh shared by every request in flight', async () => {
    const frozen = Date.now();
    // A device clock that stands still believes its token is valid forever: only the server's 401 says otherwise.
    const credentials = memoryCredentialStore();
    const client = createServerClient({ baseUrl: server.url, credentials, clock: new ClockOffset(), deviceNow: () => frozen });
    await signInWithPassword(client, credentials, { email: server.seed.admin.email, password: server.seed.admin.password, deviceId: newId() });
    // The server's clock moves past the token's expiry and stands there: the refreshed token (whole
    // seconds, so on a running clock it can expire a moment after it is issued) stays valid for
    // every retry of the burst.
    serverHeldAt = Date.now() + 2_100;
    let answers: Array<Awaited<ReturnType<typeof client.me>>> = [];
    const before = client.session.exchanges;
    try {
      answers = await Promise.all(Array.from({ length: 8 }, () => client.me()));
    } finally {
      serverHeldAt = null;
    }
    expect(answers.every((a) => a.user.email === server.seed.admin.email)).toBe(true);
    expect(client.session.exchanges - before).toBe(1);
    const tokens = await refreshTokens(server.seed.admin.id);
    expect(tokens.filter((t) => t.revoked)).toEqual([]);
    expect(tokens.filter((t) => !t.used)).toHaveLength(1);
  });

  it('rotates the refresh token many times while draining a backlog, never reusing a spent one', async () => {
    const device = await startSyncDevice(server.url, null, { engine: { concurrency: 3 } });
    try {
      await signInWithPassword(device.stack.client, device.stack.credentials, {
        email: server.seed.employee.email,
        password: server.seed.employee.password,
        deviceId: device.deviceId,
      });
      device.stack.engine.signedIn();
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push(await device.shot(), device.minute());
      device.stack.engine.start();
      // Keep the backlog going for a few token lifetimes.
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 1_100));
        for (let j = 0; j < 5; j++) ids.push(await device.shot(), device.minute());
      }
      await device.drained();
      const truth = await serverTruth(server.databaseUrl, device.deviceId);
      expect(ids.filter((id) => !truth.shots.has(id) && !truth.ops.has(id))).toEqual([]);
      expect(device.stack.client.session.exchanges).toBeGreaterThanOrEqual(3);
      const tokens = await refreshTokens(server.seed.employee.id);
      expect(tokens.filter((t) => t.revoked)).toEqual([]);
      expect(tokens.filter((t) => !t.used)).toHaveLength(1);
      expect(device.stack.engine.status().state).toBe('idle');
    } finally {
      await device.close();
    }
  });

  it('turns a spent refresh token into "sign in required" and keeps the credential for inspection', async () => {
    const credentials = memoryCredentialStore();
    const client = createServerClient({ baseUrl: server.url, credentials, clock: new ClockOffset() });
    await signInWithPassword(client, credentials, { email: server.seed.manager.email, password: server.seed.manager.password, deviceId: newId() });
    const spent = credentials.load()!;
    await client.session.refresh(null);
    // Another copy of the app replays the old token: the server revokes the whole family.
    credentials.save(spent);
    await expect(client.session.refresh(null)).rejects.toBeInstanceOf(SignInRequiredError);
    expect(client.session.signInRequired).toMatch(/session ended/);
    await expect(client.me()).rejects.toBeInstanceOf(SignInRequiredError);
    expect(credentials.load()).toEqual(spent);
  });
});
