import { parentPort, workerData } from 'node:worker_threads';
import { availableParallelism, setPriority } from 'node:os';
import sharp from 'sharp';
import { captureToFiles } from './capture-job';
import type { CapturerSpec, CreateCapturer } from './capturer';
import type { EncodeOptions } from './encoder';

/**
 * The capture worker thread: spawning `import`, reading its multi-MB stdout, encoding and
 * fsyncing all happen here, so the thread that serves the UI never waits on them.
 */
export interface CaptureWorkerData {
  capturer: CapturerSpec;
  dir: string;
  encode: EncodeOptions;
}

export type CaptureRequest = { seq: number; takenAt: number; encode?: Partial<EncodeOptions> };
export type CaptureReply =
  | { seq: number; ok: true; shots: Awaited<ReturnType<typeof captureToFiles>> }
  | { seq: number; ok: false; error: string };

const data = workerData as CaptureWorkerData;
// Capture is background work: this thread and the `import` processes it spawns run at a lower
// priority (on Linux setpriority(0) applies to the calling thread), and libvips uses one core
// less than the machine has, so the thread serving the UI always finds a free core.
try {
  setPriority(10);
} catch {
  /* not permitted: run at normal priority */
}
sharp.concurrency(Math.max(1, availableParallelism() - 1));
const mod = (await import(data.capturer.module)) as { createCapturer: CreateCapturer };
const capturer = mod.createCapturer(data.capturer.options ?? {});
const port = parentPort!;

port.on('message', async (req: CaptureRequest) => {
  let reply: CaptureReply;
  try {
    const shots = await captureToFiles(capturer, data.dir, req.takenAt, { ...data.encode, ...req.encode });
    reply = { seq: req.seq, ok: true, shots };
  } catch (err) {
    reply = { seq: req.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
