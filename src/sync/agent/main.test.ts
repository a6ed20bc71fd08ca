import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startXvfb, type Xvfb } from '../../../test/infra/xvfb';
import { tempDir } from '../test-support/temp-dir';
import { createBridgeClient } from './bridge-client';
import { LOCAL_PROJECT } from './agent-options';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
let x: Xvfb;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  x = await startXvfb({ width: 800, height: 600 });
  dir = tempDir();
});
afterAll(async () => {
  await x?.stop();
  dir?.remove();
});

interface Run {
  lines: string[];
  waitFor(re: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

function agent(args: string[], env: NodeJS.ProcessEnv): Run {
  const { STINT_SERVER_URL: _offline, ...offlineEnv } = env; // these tests run the agent offline
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: offlineEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  child.stdout.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) {
      lines.push(l);
      for (const w of [...waiters]) {
        if (!w.re.test(l)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(l);
      }
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    }),
  );
  return {
    lines,
    exited,
    kill: (s) => child.kill(s),
    waitFor: (re) => {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ re, resolve })),
        exited.then(({ code, stderr: e }) => Promise.reject(new Error(`agent exited (${code}) before ${re}: ${e}`))),
      ]);
    },
  };
}

describe('headless agent (npm run agent)', () => {
  it('tracks on a real X display, serves the bridge, prints captures, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir.path, 'agent');
    // It tracks from its launch: on the default policy the scheduler could add a screenshot at a
    // random instant of the slot before the queue is read, so a policy file says none but --capture-now's.
    const policyFile = join(dir.path, 'no-scheduled-screenshots.json');
    writeFileSync(policyFile, JSON.stringify({ version: 1, capture: { screenshotsPerSlot: 0 } }));
    const run = agent(['--data-dir', dataDir, '--capture-now'], { ...process.env, DISPLAY: x.display, STINT_AGENT_TOKEN: 'agent-test-token', STINT_POLICY_FILE: policyFile });
    await run.waitFor(/capture \S+ display=screen 800x600/);
    const { url, token } = JSON.parse(readFileSync(join(dataDir, 'agent-bridge.json'), 'utf8')) as { url: string; token: string };
    expect(token).toBe('agent-test-token');
    const status = await createBridgeClient(url, token)['status.get']({});
    expect(status).toMatchObject({ running: { projectId: LOCAL_PROJECT.id }, queue: { screenshots: 1 }, lastCaptureError: null });
    run.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(run.lines.at(-1)).toMatch(/stopped cleanly/);
    const db = new Database(join(dataDir, 'outbox.db'), { readonly: true });
    expect(db.prepare(`SELECT stop_reason FROM entries`).pluck().all()).toEqual(['shutdown']);
    db.close();
  });

  it('a second signal while it stops (Ctrl-C to the group, then its parent asks again) still ends in a clean stop', async () => {
    const dataDir = join(dir.path, 'twice');
    const run = agent(['--data-dir', dataDir, '--capture-now'], { ...process.env, DISPLAY: x.display });
    await run.waitFor(/capture \S+ display=screen 800x600/);
    run.kill('SIGINT');
    run.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(run.lines.at(-1)).toMatch(/stopped cleanly/);
    const db = new Database(join(dataDir, 'outbox.db'), { readonly: true });
    expect(db.prepare(`SELECT stop_reason FROM entries`).pluck().all()).toEqual(['shutdown']);
    db.close();
  });

  it('says clearly that no X display is available, and exits 2', async () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    const { code, stderr } = await agent(['--data-dir', join(dir.path, 'none')], env).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/no X display: DISPLAY is not set/);
  });

  it('rejects a malformed --project with the reason', async () => {
    const { code, stderr } = await agent(['--project', 'nope'], { ...process.env, DISPLAY: x.display }).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/--project must be a UUID, got "nope"/);
  });

  it('a bridge port already taken fails with the reason and closes the entry it started', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const dataDir = join(dir.path, 'taken');
    try {
      const { code, stderr } = await agent(['--data-dir', dataDir, '--port', String(port)], { ...process.env, DISPLAY: x.display }).exited;
      expect(code).toBe(2);
      expect(stderr).toMatch(/cannot start the UI bridge: .*EADDRINUSE/);
      const db = new Database(join(dataDir, 'outbox.db'), { readonly: true });
      expect(db.prepare(`SELECT count(*) FROM entries WHERE ended_at IS NULL`).pluck().get()).toBe(0);
      db.close();
    } finally {
      taken.close();
    }
  });

  it('a display that does not answer is reported before anything starts', async () => {
    const { code, stderr } = await agent(['--data-dir', join(dir.path, 'gone')], { ...process.env, DISPLAY: ':977' }).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot use X display :977/);
  });
});
