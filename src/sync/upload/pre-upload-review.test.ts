import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../shared/ids';
import { ClockOffset } from '../api/clock-offset';
import { memoryCredentialStore } from '../api/credential-store';
import { createServerClient } from '../api/server-client';
import { systemClock, type Clock } from '../clock';
import { enrollDevice } from '../session/sign-in';
import { createTracker } from '../tracker';
import type { Tracker } from '../tracker-types';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { serverTruth } from '../test-support/server-truth';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { createTrackerSync } from './sync-port';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
});
afterAll(async () => server?.close());

/** Real timers, but `now` can be moved forward: the tracker and the engine share this one clock. */
function shiftableClock(): Clock & { forward(ms: number): void } {
  let shift = 0;
  return { ...systemClock, now: () => Date.now() + shift, forward: (ms) => void (shift += ms) };
}

async function objectKeys(): Promise<string[]> {
  const listed = await server.s3.send(new ListObjectsV2Command({ Bucket: server.bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

async function reviewingTracker(dir: string, clock: ReturnType<typeof shiftableClock>): Promise<{ tracker: Tracker; deviceId: string }> {
  const credentials = memoryCredentialStore();
  const offset = new ClockOffset(clock.now);
  const client = createServerClient({ baseUrl: server.url, credentials, clock: offset });
  await enrollDevice(client, credentials, { enrollmentToken: await server.enrollmentToken(), deviceId: newId(), name: 'review', platform: 'linux' });
  const sync = createTrackerSync({ serverUrl: server.url, clock: offset, credentials, keepLocalDays: () => 0, engine: { timers: clock, idlePollMs: 100 } });
  const tracker = await createTracker(
    {
      clock,
      capturer: { module: syntheticCapturerModule, options: {} },
      idle: { idleMs: async () => 0 },
      windows: { current: async () => ({ app: 'editor', title: null }) },
      sync: sync.port,
    },
    {
      dataDir: dir,
      projects: [{ id: server.seed.project.id, name: 'Demo', tasks: [] }],
      policy: { screenshotsPerSlot: 0, reviewMinutes: 15, screenshotDeleteGraceSeconds: 600 },
      serverUrl: server.url,
    },
  );
  return { tracker, deviceId: credentials.load()!.deviceId };
}

describe('pre-upload review', () => {
  it('a screenshot waits reviewMinutes on the device: never uploaded while in review, a deleted one never reaches the server or S3', async () => {
    const dir = tempDir();
    const clock = shiftableClock();
    const { tracker, deviceId } = await reviewingTracker(dir.path, clock);
    try {
      await tracker.api['timer.start']({ projectId: server.seed.project.id });
      await tracker.captureNow();
      await tracker.captureNow();
      const shots = await tracker.api['screenshots.recent']({});
      expect(shots).toHaveLength(2);
      const [deleted, kept] = shots.map((s) => s.id);
      expect(await tracker.api['status.get']({})).toMatchObject({ inReview: 2, queue: { screenshots: 2 } });

      // The engine is working (the entry reaches the server), yet none of the screenshots is claimed.
      await expect.poll(async () => (await tracker.api['status.get']({})).queue.ops, { timeout: 15_000 }).toBe(0);
      await new Promise((r) => setTimeout(r, 1_000)); // ten of the engine's polls
      expect((await serverTruth(server.databaseUrl, deviceId)).shots.size).toBe(0);

      // Deleted 14 minutes in: past the 10-min grace, inside the review window.
      clock.forward(14 * 60_000);
      expect(await tracker.api['screenshots.delete']({ id: deleted! })).toEqual({ ok: true });
      expect((await tracker.api['status.get']({})).inReview).toBe(1);

      clock.forward(2 * 60_000);
      expect((await tracker.api['status.get']({})).inReview).toBe(0);
      await expect.poll(async () => (await tracker.api['status.get']({})).queue, { timeout: 20_000 }).toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
      const truth = await serverTruth(server.databaseUrl, deviceId);
      expect([...truth.shots.keys()]).toEqual([kept]);
      const keys = await objectKeys();
      expect(keys.some((k) => k.includes(deleted!))).toBe(false);
      expect(keys.some((k) => k.includes(kept!))).toBe(true);
    } finally {
      await tracker.shutdown();
      dir.remove();
    }
  });
});
