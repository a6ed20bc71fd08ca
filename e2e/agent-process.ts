import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/sync/agent/main.ts');

export interface AgentProcess {
  /** The window's URL with the token in the fragment, as the agent prints it. */
  windowUrl: string;
  /** The bridge's origin (no token). */
  url: string;
  token: string;
  dataDir: string;
  /** Everything the agent printed so far (its log). */
  output(): string;
  /** Take a screenshot now (SIGUSR2), as the scheduler would at its random instant. */
  captureNow(): void;
  /** A TrackerApi method over the agent's HTTP bridge, as the window calls it. */
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Builds the renderer the agent serves (once per worker: a fixture calls it before the agent starts). */
export function buildRenderer(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
}

/** `npm run agent` as a child process on `env`'s DISPLAY, resolved once it prints the window URL. */
export async function startAgentProcess(o: { dataDir: string; env: NodeJS.ProcessEnv; token: string; args?: string[] }): Promise<AgentProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, '--data-dir', o.dataDir, ...(o.args ?? [])], {
    cwd: ROOT,
    env: { ...o.env, STINT_AGENT_TOKEN: o.token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const windowUrl = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /open the Stint window: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`agent exited (${code}) before it served the window:\n${out}`)));
  });
  return {
    windowUrl,
    url: windowUrl.split('/#')[0]!,
    token: o.token,
    dataDir: o.dataDir,
    output: () => out,
    captureNow: () => void child.kill('SIGUSR2'),
    async call<T>(method: string, input: unknown = {}) {
      const res = await fetch(`${windowUrl.split('/#')[0]}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
