import { availableParallelism, setPriority } from 'node:os';
import sharp from 'sharp';
import { captureToFiles } from './capture-job';
import type { CapturerSpec, CreateCapturer } from './capturer';
import type { EncodeOptions } from './encoder';

export interface CaptureWorkerData {
  capturer: CapturerSpec;
  dir: string;
  encode: EncodeOptions;
}

export type CaptureRequest = { seq: number; takenAt: number; encode?: Partial<EncodeOptions> };
export type CaptureReply =
  | { seq: number; ok: true; shots: Awaited<ReturnType<typeof captureToFiles>> }
  | { seq: number; ok: false; error: string };

/**
 * What runs in the capture thread or the capture helper process alike: spawning `import`,
 * reading its multi-MB stdout, encoding and fsyncing, so the thread that serves the UI never
 * waits on them. Capture is background work: this thread (on Linux setpriority(0) applies to the
 * calling thread) and the `import` processes it spawns run at a lower priority, and libvips uses
 * one core less than the machine has, so the UI thread always finds a free core.
 */
export async function hostCaptures(
  data: CaptureWorkerData,
  port: { post(m: CaptureReply | { ready: true }): void; onRequest(h: (r: CaptureRequest) => void): void },
): Promise<void> {
  try {
    setPriority(10);
  } catch {
    /* not permitted: run at normal priority */
  }
  sharp.concurrency(Math.max(1, availableParallelism() - 1));
  const mod = (await import(data.capturer.module)) as { createCapturer: CreateCapturer };
  const capturer = mod.createCapturer(data.capturer.options ?? {});
  port.onRequest(async (req) => {
    let reply: CaptureReply;
    try {
      const shots = await captureToFiles(capturer, data.dir, req.takenAt, { ...data.encode, ...req.encode });
      reply = { seq: req.seq, ok: true, shots };
    } catch (err) {
      reply = { seq: req.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    port.post(reply);
  });
  port.post({ ready: true });
}
