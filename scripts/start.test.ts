import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { timelineResponseSchema } from '../src/shared/http/timeline';
import { tempDir } from '../src/sync/test-support/temp-dir';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));

async function api<T>(url: string, token: string | null, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('npm start', () => {
  it('runs the server and an enrolled agent on embedded defaults; screenshots reach the timeline; Ctrl-C stops both', { timeout: 120_000 }, async () => {
    const data = tempDir('stint-start-');
    const { DISPLAY: _none, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', START], {
      env: { ...env, STINT_DATA_DIR: data.path, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await expect.poll(() => /\[start\] server (\S+),/.exec(out)?.[1], { timeout: 90_000, interval: 200 }).toBeTruthy();
      const url = /\[start\] server (\S+),/.exec(out)![1]!;
      const demo = JSON.parse(readFileSync(join(data.path, 'demo.json'), 'utf8')) as { logins: Array<{ role: string; email: string; password: string }> };
      const manager = demo.logins.find((l) => l.role === 'manager')!;
      const { accessToken } = await api<{ accessToken: string }>(`${url}/v1/auth/login`, null, {
        method: 'POST',
        body: JSON.stringify({ email: manager.email, password: manager.password }),
      });
      const team = await api<{ members: Array<{ userId: string; name: string }> }>(`${url}/v1/team/now`, accessToken);
      const employee = team.members.find((m) => m.name.startsWith('Emma'))!;
      const screenshotsToday = async () => {
        const date = new Date().toISOString().slice(0, 10);
        const t = timelineResponseSchema.parse(await api(`${url}/v1/timeline?userId=${employee.userId}&date=${date}&tz=UTC`, accessToken));
        return t.slots.reduce((n, s) => n + s.screenshots.length, 0);
      };
      await expect.poll(screenshotsToday, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);

      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out).toMatch(/\[agent\].*stopped cleanly/);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      data.remove();
    }
  });
});
