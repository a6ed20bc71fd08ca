import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaptureReply, CaptureRequest, CaptureWorkerData } from './capture-host';

/**
 * Where captures run: `thread`, a worker thread of this process, or `process`, one long-lived
 * helper process (capture-process.ts), so this process never forks `import` itself.
 */
export type CaptureMode = 'thread' | 'process';

export interface HostEvents {
  message(m: CaptureReply | { ready: true }): void;
  /** The host is gone (crashed, killed, failed to start). */
  exit(reason: string): void;
}

export interface CaptureHost {
  post(r: CaptureRequest): void;
  terminate(): Promise<void>;
}

const fromSources = import.meta.url.endsWith('.ts');
const SETPRIV = '/usr/bin/setpriv';

function tsxUrl(api: 'esm/api' | 'esm'): string {
  const require = createRequire(import.meta.url);
  return pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, api === 'esm' ? 'dist/loader.mjs' : 'dist/esm/api/index.mjs')).href;
}

/** From TypeScript sources (tsx, vitest) via tsx; from a bundle, the bundled `.mjs` next to this one. */
function startThread(data: CaptureWorkerData, on: HostEvents): CaptureHost {
  const target = new URL('./capture-worker.ts', import.meta.url);
  const w = fromSources
    ? new Worker(`import(${JSON.stringify(tsxUrl('esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`, { eval: true, workerData: data })
    : new Worker(new URL('./capture-worker.mjs', import.meta.url), { workerData: data });
  w.on('message', (m: CaptureReply | { ready: true }) => on.message(m));
  w.on('error', (err) => on.exit(`capture worker failed: ${err.message}`));
  w.on('exit', (code) => on.exit(`capture worker exited (${code})`));
  return { post: (r) => w.postMessage(r), terminate: async () => void (await w.terminate()) };
}

function startProcess(data: CaptureWorkerData, on: HostEvents): CaptureHost {
  const script = fromSources ? fileURLToPath(new URL('./capture-process.ts', import.meta.url)) : fileURLToPath(new URL('./capture-process.mjs', import.meta.url));
  const node = [process.execPath, ...(fromSources ? ['--import', tsxUrl('esm')] : []), script];
  // On Linux the kernel kills the helper the instant the agent dies (setpriv sets
  // PR_SET_PDEATHSIG), so a helper can never write into the outbox while a restarted agent
  // recovers it. Elsewhere it ends when its IPC channel closes.
  const [cmd, ...args] = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...node] : node;
  // Inside Electron (the tray app's utilityProcess) process.execPath is the Electron binary: it runs
  // the helper as plain Node only with ELECTRON_RUN_AS_NODE (the runAsNode fuse stays on for this).
  const asNode = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  const child = spawn(cmd!, args, { serialization: 'advanced', env: { ...process.env, ...asNode, STINT_CAPTURE_HELPER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (m: CaptureReply | { ready: true }) => on.message(m));
  child.on('error', (err) => on.exit(`capture helper process failed: ${err.message}`));
  child.on('exit', (code, signal) => {
    gone = true;
    on.exit(`capture helper process exited (${signal ?? code})`);
  });
  child.send({ init: data });
  return {
    post: (r) => {
      if (!gone) child.send(r);
    },
    terminate: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

export function startCaptureHost(mode: CaptureMode, data: CaptureWorkerData, on: HostEvents): CaptureHost {
  return mode === 'process' ? startProcess(data, on) : startThread(data, on);
}
