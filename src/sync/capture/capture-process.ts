import { hostCaptures, type CaptureRequest, type CaptureWorkerData } from './capture-host';

/**
 * The capture helper process (mode `process`): one long-lived child that does the spawning and
 * encoding, so the process serving the UI never forks a capture tool. Its first message says
 * what to capture; it ends with its parent (the IPC channel closes when the parent dies).
 */
process.on('disconnect', () => process.exit(0));
process.once('message', (init: { init: CaptureWorkerData }) => {
  void hostCaptures(init.init, {
    post: (m) => process.send?.(m),
    onRequest: (h) => process.on('message', (r: CaptureRequest) => h(r)),
  }).catch((err: unknown) => {
    process.stderr.write(`capture helper failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});
