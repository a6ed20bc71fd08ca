import { test as base } from '@playwright/test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startTestPostgres } from '../test/infra/postgres';
import { startTestS3 } from '../test/infra/s3';
import { startXvfb, type Xvfb } from '../test/infra/xvfb';
import { startRealServer, type RealServer } from '../src/sync/test-support/real-server';
import type { CapturePolicyPatch } from '../src/shared/policy';
import { buildRenderer, startAgentProcess, type AgentProcess } from './agent-process';

const run = promisify(execFile);

export type SeedRole = 'admin' | 'manager' | 'employee';

/**
 * The whole product on this machine for an e2e story: embedded PostgreSQL, a Ceph RADOS Gateway
 * (or S3_TEST_ENDPOINT), the real Stint server (in this process, restartable on its port), an Xvfb
 * and a real agent on it that syncs once the window signs in or enrolls.
 */
export interface Stack {
  /** url, seed (org, admin/manager/employee with passwords, a project with a task), enrollmentToken(), stop(), restart(). */
  server: RealServer;
  agent: AgentProcess;
  xvfb: Xvfb;
  /** The server's HTTP API as a seeded user (logs in once per role); throws with the body on a non-2xx. */
  api<T = unknown>(as: SeedRole, method: string, path: string, body?: unknown): Promise<T>;
  /** The org's capture policy, changed by the admin (devices pick it up on their next catalog pull or sign-in). */
  setPolicy(patch: CapturePolicyPatch): Promise<void>;
  /** Screenshot rows in the server's database (all of them: the database is this stack's own). */
  serverScreenshots(): Promise<Array<{ id: string; state: string }>>;
  /** Every object key in the bucket. */
  objectKeys(): Promise<string[]>;
  /** Run xdotool against the agent's display (real X input: the agent sees it as activity). */
  xdotool(...args: string[]): Promise<void>;
  /** Stop the agent and start a new one on the same data dir (env added to the worker's). */
  restartAgent(env?: NodeJS.ProcessEnv): Promise<AgentProcess>;
}

export interface StackOptions {
  /** Xvfb size (the agent's captures). */
  screen?: { width: number; height: number };
  /** Env for the agent: e.g. STINT_SERVER_URL + STINT_ENROLLMENT_TOKEN to start it enrolled. Default: signed out. */
  agentEnv?: (server: RealServer) => Promise<NodeJS.ProcessEnv> | NodeJS.ProcessEnv;
  /** Agent command-line arguments (e.g. --capture-now). */
  agentArgs?: string[];
}

const AGENT_TOKEN = 'e2e-stack-token-0123456789abcdef';

/** Starts a stack; `close()` stops everything it started, in reverse. Use `test` below for the fixture. */
export async function startStack(o: StackOptions = {}): Promise<Stack & { close(): Promise<void> }> {
  const stops: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('stack stop failed', err));
  };
  try {
    buildRenderer();
    const [postgres, s3, xvfb] = await Promise.all([startTestPostgres(), startTestS3(), startXvfb(o.screen ?? { width: 1280, height: 720 })]);
    stops.push(postgres.stop, s3.stop, xvfb.stop);
    const server = await startRealServer({ postgresUrl: postgres.url, s3 });
    stops.push(server.close);
    const dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-stack-'));
    stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const { STINT_SERVER_URL: _none, STINT_ENROLLMENT_TOKEN: _t, STINT_EMAIL: _e, STINT_PASSWORD: _p, ...xEnv } = xvfb.env;
    // The agent tracks from its launch, and signed out it would take the default policy's screenshot
    // at a random instant of the slot: one more than a story counts if it falls before the story's
    // sign-in. A policy file (unlocked, so the org policy wins once it arrives) says none until then;
    // a spec's own agentEnv may point at another file.
    const quietPolicy = join(dataDir, 'no-scheduled-screenshots.policy.json');
    writeFileSync(quietPolicy, JSON.stringify({ version: 1, capture: { screenshotsPerSlot: 0 } }));
    const baseEnv = { ...xEnv, STINT_POLICY_FILE: quietPolicy };
    const extra = (await o.agentEnv?.(server)) ?? {};
    const launch = (env: NodeJS.ProcessEnv) => startAgentProcess({ dataDir, env: { ...baseEnv, ...extra, ...env }, token: AGENT_TOKEN, args: o.agentArgs });
    const stack: Stack = { server, xvfb, agent: await launch({}), ...serverHelpers(server, xvfb) } as Stack;
    stops.push(() => stack.agent.stop());
    stack.restartAgent = async (env = {}) => {
      await stack.agent.stop();
      stack.agent = await launch(env);
      return stack.agent;
    };
    return Object.assign(stack, { close });
  } catch (err) {
    await close();
    throw err;
  }
}

function serverHelpers(server: RealServer, xvfb: Xvfb): Omit<Stack, 'server' | 'agent' | 'xvfb' | 'restartAgent'> {
  const tokens = new Map<SeedRole, string>();
  const login = async (as: SeedRole) => {
    const known = tokens.get(as);
    if (known) return known;
    const user = server.seed[as];
    const res = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    if (!res.ok) throw new Error(`${as} login failed: ${res.status} ${await res.text()}`);
    const { accessToken } = (await res.json()) as { accessToken: string };
    tokens.set(as, accessToken);
    return accessToken;
  };
  const api = async <T,>(as: SeedRole, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await login(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} as ${as}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    api,
    async setPolicy(patch) {
      await api('admin', 'PUT', '/v1/org/policy', patch);
    },
    async serverScreenshots() {
      const client = new pg.Client({ connectionString: server.databaseUrl });
      await client.connect();
      try {
        return (await client.query<{ id: string; state: string }>(`SELECT id, state FROM screenshots ORDER BY taken_at`)).rows;
      } finally {
        await client.end();
      }
    },
    async objectKeys() {
      const listed = await server.s3.send(new ListObjectsV2Command({ Bucket: server.bucket }));
      return (listed.Contents ?? []).map((c) => c.Key!);
    },
    async xdotool(...args) {
      await run('xdotool', args, { env: xvfb.env });
    },
  };
}

/** A worker-scoped stack (signed-out agent) for specs: `import { test, expect } from './stack-fixture'`. */
export const test = base.extend<object, { stack: Stack }>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture list from this destructuring
    async ({}, use) => {
      const stack = await startStack();
      await use(stack);
      await stack.close();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});
export { expect } from '@playwright/test';
