import { parentPort, workerData } from 'node:worker_threads';
import { hostCaptures, type CaptureRequest, type CaptureWorkerData } from './capture-host';

export type { CaptureReply, CaptureRequest, CaptureWorkerData } from './capture-host';

/** The capture worker thread (mode `thread`): see capture-host.ts. */
const port = parentPort!;
await hostCaptures(workerData as CaptureWorkerData, {
  post: (m) => port.postMessage(m),
  onRequest: (h) => port.on('message', (r: CaptureRequest) => h(r)),
});
