import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freePort } from '../server/store/embedded-postgres';
import { readHistoryState } from '../server/demo/history';
import { timelineResponseSchema } from '../src/shared/http/timeline';
import { tempDir } from '../src/sync/test-support/temp-dir';
import { processesOfRun, survivors, type ProcessId } from './test-support/run-processes';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function api<T>(url: string, token: string | null, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('npm start', () => {
  /** `npm start`'s script on a data dir, without a DISPLAY (its own Xvfb); its output collected. */
  function startScript(dataDir: string, extra: NodeJS.ProcessEnv) {
    const { DISPLAY: _none, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', START], {
      env: { ...env, STINT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = { child, out: '', exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]> };
    child.stdout.on('data', (d: Buffer) => (run.out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (run.out += d.toString()));
    return run;
  }
  const serverUrl = async (run: { out: string }) => {
    await expect.poll(() => /\[start\] server (\S+),/.exec(run.out)?.[1], { timeout: 90_000, interval: 200 }).toBeTruthy();
    return /\[start\] server (\S+),/.exec(run.out)![1]!;
  };
  const signIn = (url: string, l: { email: string; password: string }) =>
    api<{ accessToken: string; user: { id: string; role: string } }>(`${url}/v1/auth/login`, null, { method: 'POST', body: JSON.stringify({ email: l.email, password: l.password }) });

  it('runs the server and an agent enrolled as the demo lead on embedded defaults; the lead sees the team; screenshots reach the timeline; Ctrl-C stops all', { timeout: 240_000 }, async () => {
    const data = tempDir('stint-start-');
    // One working day of history (and today's part): enough to stop it half-way and resume it.
    let run = startScript(data.path, { STINT_DEMO_HISTORY: '1' });
    try {
      const url = await serverUrl(run);
      const demo = JSON.parse(readFileSync(join(data.path, 'demo.json'), 'utf8')) as { logins: Array<{ role: string; email: string; password: string }> };
      const lead = demo.logins.find((l) => l.role === 'lead')!;
      const { accessToken, user } = await signIn(url, lead);
      expect(user.role).toBe('manager');
      const team = await api<{ members: Array<{ userId: string; name: string }> }>(`${url}/v1/team/now`, accessToken);
      expect(team.members.map((m) => m.name)).toEqual(expect.arrayContaining(['Max Manager', 'Emma Employee', 'Eli Employee', 'Noor Employee']));
      // The agent tracks as the lead: the lead's own day fills.
      const screenshotsOf = async (userId: string, date: string) => {
        const t = timelineResponseSchema.parse(await api(`${url}/v1/timeline?userId=${userId}&date=${date}&tz=UTC`, accessToken));
        return t.slots.reduce((n, s) => n + s.screenshots.length, 0);
      };
      await expect.poll(() => screenshotsOf(user.id, new Date().toISOString().slice(0, 10)), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);

      // The history runs after the window is up; Ctrl-C in the middle of it stops everything cleanly.
      await expect.poll(() => /\[demo\] demo history: 1\/\d+ member-days/.test(run.out), { timeout: 90_000, interval: 100 }).toBe(true);
      expect(run.out.indexOf('open the Stint window')).toBeLessThan(run.out.indexOf('[demo]'));
      run.child.kill('SIGINT');
      const [code] = await run.exited;
      expect(code).toBe(0);
      expect(run.out).toMatch(/\[agent\].*stopped cleanly/);
      expect(run.out).toMatch(/\[demo\] demo history: stopped at \d+\/\d+ member-days; the next start resumes/);
      expect(readHistoryState(join(data.path, 'demo-history.json'))?.complete).toBe(false);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();

      // The next start resumes and finishes it; the members' days show verified screenshots.
      run = startScript(data.path, { STINT_DEMO_HISTORY: '1' });
      const url2 = await serverUrl(run);
      await expect.poll(() => /\[start\] demo history finished/.test(run.out), { timeout: 150_000, interval: 250 }).toBe(true);
      expect(run.out).toMatch(/\[demo\] demo history: \d+ of \d+ member-days to send .*resuming/);
      const state = readHistoryState(join(data.path, 'demo-history.json'))!;
      expect(state.complete).toBe(true);
      const emma = team.members.find((m) => m.name === 'Emma Employee')!;
      const date = state.done.find((k) => k.startsWith(emma.userId))!.split('/')[1]!;
      const again = await signIn(url2, lead);
      const t = timelineResponseSchema.parse(await api(`${url2}/v1/timeline?userId=${emma.userId}&date=${date}&tz=UTC`, again.accessToken));
      expect(t.slots.some((s) => s.screenshots.length > 0 && s.screenshots.every((x) => x.thumbUrl))).toBe(true);
      run.child.kill('SIGINT');
      expect((await run.exited)[0]).toBe(0);
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      data.remove();
    }
  });

  const portIsFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });

  type Stop = (npm: number, run: ProcessId[]) => { seesOutput: boolean };
  const stops: Record<string, Stop> = {
    'SIGINT to the process group (Ctrl-C)': (npm) => (process.kill(-npm, 'SIGINT'), { seesOutput: true }),
    "SIGTERM to npm's process": (npm) => (process.kill(npm, 'SIGTERM'), { seesOutput: true }),
    "SIGKILL to npm's process": (npm) => (process.kill(npm, 'SIGKILL'), { seesOutput: true }),
    // The parent of the server, the agent and Xvfb: nobody is left to stop them in order or read their lines.
    'SIGKILL to the start script under npm': (npm, run) => {
      const start = run.filter((p) => p.ppid === npm);
      expect(start).toHaveLength(1);
      process.kill(start[0]!.pid, 'SIGKILL');
      return { seesOutput: false };
    },
  };

  it.each(Object.entries(stops))('`npm start` stopped by %s: no process of the run survives, the port is free, the outbox is whole and merged', { timeout: 180_000 }, async (_how, stop) => {
    const data = tempDir('stint-start-');
    const port = await freePort();
    const marker = `STINT_TEST_RUN=${randomUUID()}`;
    const { DISPLAY: _none, ...env } = process.env;
    // npm and everything under it run on this test's Node.
    const PATH = [dirname(process.execPath), env.PATH].join(delimiter);
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true, // its own process group, as a terminal gives a job
      env: { ...env, PATH, STINT_DATA_DIR: data.path, PORT: String(port), LOG_LEVEL: 'warn', STINT_DEMO_HISTORY: 'off', [marker.split('=')[0]!]: marker.split('=')[1] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // The pipes close once every writer is gone: npm and the start script it runs.
    let closed = false;
    void Promise.all([once(npm.stdout, 'close'), once(npm.stderr, 'close')]).then(() => (closed = true));
    let seen: ProcessId[] = [];
    try {
      await expect.poll(() => /\[agent\].* capture /.test(out), { timeout: 120_000, interval: 250 }).toBe(true);
      seen = processesOfRun(marker);
      expect(seen.map((p) => p.name)).toEqual(expect.arrayContaining(['postgres', 'Xvfb']));
      expect(await portIsFree(port)).toBe(false);

      const { seesOutput } = stop(npm.pid!, seen);
      await expect.poll(() => closed, { timeout: 60_000, interval: 250 }).toBe(true);
      if (seesOutput) {
        expect(out).toMatch(/\[agent\].*stopped cleanly/);
        expect(out).toMatch(/^\[start\] stopped$/m);
      }
      await expect.poll(() => survivors(seen, marker), { timeout: 30_000, interval: 250 }).toEqual([]);
      expect(await portIsFree(port)).toBe(true);

      const outbox = join(data.path, 'agent', 'outbox.db');
      expect(existsSync(`${outbox}-wal`)).toBe(false); // the last connection merged the WAL and removed it
      const db = new Database(outbox);
      try {
        expect(db.pragma('quick_check', { simple: true })).toBe('ok');
        expect(db.prepare('select count(*) n from entries where ended_at is null').get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      for (const p of survivors(seen, marker)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      data.remove();
    }
  });
});
