import type { RealServer } from '../../src/sync/test-support/real-server';
import { startSyncDevice } from '../../src/sync/test-support/sync-device';

export interface ResumeResult {
  outageMs: number;
  /** From the server listening again to the first confirmed upload. */
  resumeMs: number;
  /** Every request the device sent while the server was down (probes included), per minute. */
  requestsPerMinuteOffline: number;
}

/** Stop the server under a device with work queued, start it again, time the way back. */
export async function measureResume(server: RealServer, outageMs = 8_000): Promise<ResumeResult> {
  const device = await startSyncDevice(server.url, await server.enrollmentToken());
  try {
    device.stack.engine.start();
    await device.shot();
    await device.drained();
    await server.stop();
    for (let i = 0; i < 5; i++) await device.shot();
    const requestsBefore = device.stack.client.stats.requests;
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, outageMs));
    const requests = device.stack.client.stats.requests - requestsBefore;
    const elapsed = Date.now() - downAt;
    let firstSuccess = 0;
    const off = device.stack.engine.on((e) => {
      if (e.type === 'progress' && !firstSuccess) firstSuccess = Date.now();
    });
    await server.restart();
    const upAt = Date.now();
    await device.drained();
    off();
    return { outageMs: elapsed, resumeMs: firstSuccess - upAt, requestsPerMinuteOffline: Math.round((requests / elapsed) * 60_000) };
  } finally {
    await device.close();
  }
}
