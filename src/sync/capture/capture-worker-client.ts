import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CaptureReply, CaptureRequest, CaptureWorkerData } from './capture-worker';
import type { FileShot } from './capture-job';
import type { EncodeOptions } from './encoder';

export interface CaptureWorker {
  /** Capture every display at `takenAt`; resolves once all files are durable on disk. */
  shoot(takenAt: number, encode?: Partial<EncodeOptions>): Promise<FileShot[]>;
  /** Start the thread ahead of the first capture. */
  warm(): void;
  close(): Promise<void>;
}

export const defaultCapturerModule = new URL('./screenshot-desktop.capturer.ts', import.meta.url).href;

/**
 * Worker source. From TypeScript sources (tsx, vitest) the worker registers tsx and imports
 * capture-worker.ts; from a bundle, the worker is the bundled `capture-worker.mjs` next to it.
 */
function workerSource(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./capture-worker.mjs', import.meta.url), eval: false };
  const target = new URL('./capture-worker.ts', import.meta.url);
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs'));
  return {
    code: `import(${JSON.stringify(tsxApi.href)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); })`,
    eval: true,
  };
}

/** A capture that takes longer (a hung `import`, a frozen X server) is abandoned and its worker replaced. */
export const CAPTURE_TIMEOUT_MS = 120_000;

export function startCaptureWorker(data: CaptureWorkerData, options: { timeoutMs?: number } = {}): CaptureWorker {
  const timeoutMs = options.timeoutMs ?? CAPTURE_TIMEOUT_MS;
  let worker: Worker | null = null;
  let ready: Promise<void> | null = null;
  let seq = 0;
  const pending = new Map<number, { resolve: (s: FileShot[]) => void; reject: (e: Error) => void }>();
  let chain: Promise<unknown> = Promise.resolve();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
    ready = null;
  };

  const ensure = (): Promise<void> => {
    if (worker && ready) return ready;
    const src = workerSource();
    const w = new Worker(src.code, { eval: src.eval, workerData: data });
    worker = w;
    ready = new Promise<void>((resolve, reject) => {
      w.on('message', (m: CaptureReply | { ready: true }) => {
        if ('ready' in m) return resolve();
        const p = pending.get(m.seq);
        pending.delete(m.seq);
        if (!p) return;
        if (m.ok) p.resolve(m.shots);
        else p.reject(new Error(m.error));
      });
      w.on('error', (err) => {
        reject(err);
        failAll(new Error(`capture worker failed: ${err.message}`));
      });
      w.on('exit', (code) => {
        if (worker === w) failAll(new Error(`capture worker exited (${code})`));
      });
    });
    return ready;
  };

  return {
    shoot(takenAt, encode) {
      // One capture at a time: the next waits for the previous to settle.
      const run = chain.then(async () => {
        await ensure();
        const id = ++seq;
        const w = worker!;
        let timer: NodeJS.Timeout | undefined;
        return new Promise<FileShot[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          timer = setTimeout(() => {
            if (!pending.has(id)) return;
            // Without this a hung capture would hold every later capture and shutdown forever.
            if (worker === w) failAll(new Error(`capture timed out after ${timeoutMs / 1000} s; capture worker restarted`));
            void w.terminate();
          }, timeoutMs);
          timer.unref();
          w.postMessage({ seq: id, takenAt, ...(encode ? { encode } : {}) } satisfies CaptureRequest);
        }).finally(() => clearTimeout(timer));
      });
      chain = run.catch(() => undefined);
      return run;
    },
    warm() {
      ensure().catch(() => undefined);
    },
    async close() {
      const w = worker;
      failAll(new Error('capture worker closed'));
      if (w) await w.terminate();
    },
  };
}
