import type { CaptureReply, CaptureRequest, CaptureWorkerData } from './capture-host';
import { startCaptureHost, type CaptureHost, type CaptureMode } from './capture-hosts';
import type { FileShot } from './capture-job';
import type { EncodeOptions } from './encoder';

export type { CaptureMode } from './capture-hosts';

export interface CaptureWorker {
  /** Capture every display at `takenAt`; resolves once all files are durable on disk. */
  shoot(takenAt: number, encode?: Partial<EncodeOptions>): Promise<FileShot[]>;
  /** Start the capture host ahead of the first capture. */
  warm(): void;
  close(): Promise<void>;
}

// From sources (tsx, vitest) the .ts beside this file; from the packaged core bundle (out/core, scripts/electron/build-shell.ts) the .mjs beside it.
export const defaultCapturerModule = new URL(`./screenshot-desktop.capturer.${import.meta.url.endsWith('.ts') ? 'ts' : 'mjs'}`, import.meta.url).href;

/** A capture that takes longer (a hung `import`, a frozen X server) is abandoned and its host replaced. */
export const CAPTURE_TIMEOUT_MS = 120_000;

/** Where captures run by default (bench/core/loop-delay.ts measures both; docs/performance.md). */
export const DEFAULT_CAPTURE_MODE: CaptureMode = 'process';

/**
 * Captures one at a time on a capture host (a worker thread or the helper process). A host that
 * dies or hangs fails the capture in flight with the reason (the caller reports it: nothing is
 * dropped silently) and is started afresh, right away, for the next one.
 */
export function startCaptureWorker(data: CaptureWorkerData, options: { timeoutMs?: number; mode?: CaptureMode } = {}): CaptureWorker {
  const timeoutMs = options.timeoutMs ?? CAPTURE_TIMEOUT_MS;
  const mode = options.mode ?? DEFAULT_CAPTURE_MODE;
  let host: CaptureHost | null = null;
  let ready: Promise<void> | null = null;
  let closed = false;
  let seq = 0;
  const pending = new Map<number, { resolve: (s: FileShot[]) => void; reject: (e: Error) => void }>();
  let chain: Promise<unknown> = Promise.resolve();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    host = null;
    ready = null;
  };

  const ensure = (): Promise<void> => {
    if (host && ready) return ready;
    let h: CaptureHost | null = null;
    let started = false;
    ready = new Promise<void>((resolve, reject) => {
      h = startCaptureHost(mode, data, {
        message: (m: CaptureReply | { ready: true }) => {
          if ('ready' in m) {
            started = true;
            return resolve();
          }
          const p = pending.get(m.seq);
          pending.delete(m.seq);
          if (!p) return;
          if (m.ok) p.resolve(m.shots);
          else p.reject(new Error(m.error));
        },
        exit: (reason) => {
          reject(new Error(reason));
          if (host !== h) return;
          failAll(new Error(reason));
          // Started again now (unless it never came up), so the next capture does not pay the start-up.
          if (!closed && started) ensure().catch(() => undefined);
        },
      });
    });
    host = h;
    return ready;
  };

  return {
    shoot(takenAt, encode) {
      // One capture at a time: the next waits for the previous to settle.
      const run = chain.then(async () => {
        await ensure();
        const id = ++seq;
        const h = host!;
        let timer: NodeJS.Timeout | undefined;
        return new Promise<FileShot[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          timer = setTimeout(() => {
            if (!pending.has(id)) return;
            // Without this a hung capture would hold every later capture and shutdown forever.
            if (host === h) failAll(new Error(`capture timed out after ${timeoutMs / 1000} s; capture ${mode === 'process' ? 'helper process' : 'worker'} restarted`));
            void h.terminate();
          }, timeoutMs);
          timer.unref();
          h.post({ seq: id, takenAt, ...(encode ? { encode } : {}) } satisfies CaptureRequest);
        }).finally(() => clearTimeout(timer));
      });
      chain = run.catch(() => undefined);
      return run;
    },
    warm() {
      ensure().catch(() => undefined);
    },
    async close() {
      closed = true;
      const h = host;
      failAll(new Error('capture worker closed'));
      if (h) await h.terminate();
    },
  };
}
