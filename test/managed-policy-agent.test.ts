import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startAgentProcess, type AgentProcess } from '../e2e/agent-process';
import { startXvfb, type Xvfb } from './infra/xvfb';
import { startRealServer, type RealServer } from '../src/sync/test-support/real-server';
import { tempDir } from '../src/sync/test-support/temp-dir';
import { fleetResponseSchema, type FleetDevice } from '../src/shared/http/fleet';
import type { TrackerOutput } from '../src/shared/tracker-api';
import { POLICY_FILE_LOCK_REASON } from '../src/shared/managed-policy';

// The real agent (npm run agent) under Xvfb against the real server (PostgreSQL, Ceph RGW), steered
// only by a policy file: silent enrollment, locks, a server-side policy change while it runs, the
// fleet view's figures, and what a bad file does.
let x: Xvfb;
let server: RealServer;
let dir: ReturnType<typeof tempDir>;
let adminToken: string;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(async () => {
  x = await startXvfb({ width: 800, height: 600 });
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
  dir = tempDir();
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.seed.admin.email, password: server.seed.admin.password }),
  });
  adminToken = ((await login.json()) as { accessToken: string }).accessToken;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await x?.stop();
  dir?.remove();
});

const asAdmin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<unknown>;
};
const env = (policyFile: string): NodeJS.ProcessEnv => {
  const { STINT_SERVER_URL: _s, STINT_ENROLLMENT_TOKEN: _t, ...rest } = process.env;
  return { ...rest, DISPLAY: x.display, STINT_POLICY_FILE: policyFile, STINT_CATALOG_PULL_SECONDS: '5' };
};
async function until<T>(what: string, get: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
type Settings = TrackerOutput<'settings.get'>;
type Status = TrackerOutput<'status.get'>;

const dataDir = () => join(dir.path, 'enrolled');
const policyFile = () => join(dir.path, 'policy.json');
const managedPolicy = (token: string) => ({
  version: 1,
  serverUrl: server.url,
  enrollmentToken: token,
  capture: { reviewMinutes: 60, blurScreenshots: true, idleThresholdSeconds: 600 },
  locked: ['serverUrl', 'reviewMinutes', 'blurScreenshots'],
  autoStart: true,
  updateChannel: 'beta',
});

describe('a real agent under a managed policy file', () => {
  let agent: AgentProcess;
  let deviceId: string;

  it('enrolls silently from the file on its first run, and shows the locked fields with their reason', async () => {
    writeFileSync(policyFile(), JSON.stringify(managedPolicy(await server.enrollmentToken())));
    agent = await startAgentProcess({ dataDir: dataDir(), env: env(policyFile()), token: 'policy-agent-token', args: ['--project', server.seed.project.id] });
    deviceId = /enrolled as device (\S+) on /.exec(agent.output())![1]!;
    expect(agent.output()).toContain(`policy file ${policyFile()} applied (locked: serverUrl, reviewMinutes, blurScreenshots)`);
    expect(agent.output()).toContain(`syncing to ${server.url}`);
    const session = await agent.call<TrackerOutput<'session.get'>>('session.get');
    expect(session).toMatchObject({ state: 'signed-in', user: { email: server.seed.employee.email }, serverUrl: server.url });

    const settings = await agent.call<Settings>('settings.get');
    // The org policy says reviewMinutes 0 and no blur (the seed's defaults): the file's locks win; unlocked idle threshold is the org's.
    expect(settings.policy).toMatchObject({ reviewMinutes: 60, blurScreenshots: true, idleThresholdSeconds: 300 });
    expect(settings.managed).toEqual({
      path: policyFile(),
      active: true,
      locks: ['serverUrl', 'reviewMinutes', 'blurScreenshots', 'autoStart'].map((field) => ({ field, source: 'policy-file', reason: POLICY_FILE_LOCK_REASON })),
      serverUrl: server.url,
      updateChannel: 'beta',
      error: null,
      usingLastGood: false,
    });
    expect(JSON.stringify(settings)).not.toContain('enrollmentToken');
    expect((await agent.call<Status>('status.get')).policyError).toBeNull();
  }, 60_000);

  it('refuses to sign in to another server while the file locks the server URL', async () => {
    const res = await fetch(`${agent.url}/api/session.signIn`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serverUrl: 'https://elsewhere.example.com', email: 'a@b.example', password: 'x' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.text()).toContain(`${POLICY_FILE_LOCK_REASON}: this device signs in only to ${server.url}`);
  });

  it("the fleet view over the agent's TrackerApi is the admins': an employee's device gets the server's refusal in words", async () => {
    const res = await fetch(`${agent.url}/api/fleet.list`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'failed_precondition',
      status: 409,
      detail: "only admins see the organisation's devices (the server said 403 Forbidden: the fleet view is for admins)",
    });
  });

  it('a policy changed on the server reaches the running agent without a restart, under the file’s locks', async () => {
    await asAdmin('PUT', '/v1/org/policy', { idleThresholdSeconds: 900, reviewMinutes: 0, blurScreenshots: false });
    const settings = await until('the new org policy on the agent', async () => {
      const s = await agent.call<Settings>('settings.get');
      return s.policy.idleThresholdSeconds === 900 && s;
    });
    expect(settings.policy).toMatchObject({ idleThresholdSeconds: 900, reviewMinutes: 60, blurScreenshots: true });
    expect(agent.output()).not.toMatch(/stopping/);
  }, 60_000);

  it('the fleet view shows what waits on this device, as the agent counts it', async () => {
    agent.captureNow();
    await until('a screenshot in review', async () => (await agent.call<Status>('status.get')).queue.screenshots >= 1);
    await agent.call('timer.stop');
    const status = await until('the closed entry on the server', async () => {
      const s = await agent.call<Status>('status.get');
      return s.queue.ops === 0 && s;
    });
    const device = await until('the report of the last push', async () => {
      const fleet = fleetResponseSchema.parse(await asAdmin('GET', '/v1/fleet'));
      const d = fleet.devices.find((x): x is FleetDevice => x.id === deviceId);
      return d?.queue?.ops === 0 && d;
    });
    expect(device).toMatchObject({ appVersion: VERSION, policyError: null, user: { email: server.seed.employee.email } });
    expect(device.queue).toMatchObject({ screenshots: status.queue.screenshots, ops: status.queue.ops, deadLetters: status.queue.dead });
    expect(status.queue.screenshots).toBeGreaterThanOrEqual(1);
    // With every op on the server, the oldest record waiting is the first screenshot in review.
    const waiting = (await agent.call<TrackerOutput<'screenshots.recent'>>('screenshots.recent', { limit: 50 })).filter((s) => s.state === 'captured' || s.state === 'uploading');
    expect(waiting).toHaveLength(status.queue.screenshots);
    expect(device.queue!.oldestUnsyncedAt).toBe(waiting.map((s) => s.takenAt).sort()[0]);
    await agent.stop();
  }, 60_000);

  it('a bad file later: the agent runs on the last good copy, says which field, and reports it to the fleet view', async () => {
    const bad = { ...managedPolicy('unused-token-123'), capture: { reviewMinutes: 60, blurScreenshots: true, blurScreenshot: true } };
    writeFileSync(policyFile(), JSON.stringify(bad));
    agent = await startAgentProcess({ dataDir: dataDir(), env: env(policyFile()), token: 'policy-agent-token', args: ['--project', server.seed.project.id] });
    try {
      expect(agent.output()).toContain(`policy file ${policyFile()} not applied: capture.blurScreenshot: is not a policy field (unknown key; check its spelling); using the last good copy of it`);
      const status = await agent.call<Status>('status.get');
      expect(status.policyError).toContain('capture.blurScreenshot: is not a policy field');
      const settings = await agent.call<Settings>('settings.get');
      expect(settings.policy).toMatchObject({ reviewMinutes: 60, blurScreenshots: true });
      expect(settings.managed).toMatchObject({ active: true, usingLastGood: true, error: status.policyError });
      // Still the same enrolled device: nothing was lost or redone.
      expect(agent.output()).not.toContain('enrolled as device');
      expect((await agent.call<Status>('status.get')).queue.screenshots).toBeGreaterThanOrEqual(1);
      await agent.call('timer.stop');
      const device = await until('the policy error in the fleet view', async () => {
        const fleet = fleetResponseSchema.parse(await asAdmin('GET', '/v1/fleet'));
        return fleet.devices.find((d) => d.id === deviceId && d.policyError);
      });
      expect(device.policyError).toContain('capture.blurScreenshot');
    } finally {
      await agent.stop();
    }
    expect(JSON.parse(readFileSync(policyFile(), 'utf8'))).toEqual(bad);
  }, 60_000);
});

describe('a real agent with a bad policy file and no earlier good copy', () => {
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });

  it.each([
    ['an unknown key', () => ({ version: 1, screenshotsPerSlot: 2 }), 'screenshotsPerSlot: is not a policy field (unknown key; check its spelling)'],
    ['bad JSON', () => '{"version": 1', 'is not valid JSON'],
    ['an unreachable server URL', async () => ({ version: 1, serverUrl: `http://127.0.0.1:${await freePort()}` }), 'serverUrl: cannot reach the Stint server at http://127.0.0.1:'],
  ])('%s: it does not run, and its exit message names the field', async (what, content, words) => {
    const file = join(dir.path, `${what.replaceAll(' ', '-')}.json`);
    const c = await content();
    writeFileSync(file, typeof c === 'string' ? c : JSON.stringify(c));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/sync/agent/main.ts'), '--data-dir', join(dir.path, `fresh-${what.length}`)], {
      cwd: ROOT,
      env: env(file),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(`stint agent: policy file ${file} not applied: ${words}`);
    expect(stderr).toContain('running without it (there is no earlier good copy)');
  }, 30_000);
});
