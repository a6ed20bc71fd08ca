import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTracker } from '../tracker';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { createFakeClock } from '../test-support/fake-clock';
import { tempDir } from '../test-support/temp-dir';
import { mountSmallTmpfs } from '../test-support/small-tmpfs';
import { DISK_FULL_RETRY_MS, whenWritable } from '../db/when-writable';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
// A Monday morning (UTC), far from any midnight: the six minutes tracked here are all "today" in
// every zone from UTC-8 to UTC+14, which they are not when the clock starts at a real instant just
// before midnight.
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
let dir: ReturnType<typeof tempDir>;
let dataDir: string;

// A real full disk under the whole data dir (outbox database and WAL included): a small tmpfs (needs root, as CI runs).
let disk: { unmount(): void };
beforeAll(() => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  disk = mountSmallTmpfs(dataDir, '4m');
});
afterAll(() => {
  disk?.unmount();
  dir.remove();
});

const fill = (path: string) => spawnSync('dd', ['if=/dev/zero', `of=${path}`, 'bs=4k', 'count=4096']);

describe('a full disk under the outbox (SQLITE_FULL)', () => {
  it('never stops the tracking of time: heartbeats that cannot be written are reported and tried again, and the entry ends right once space returns', async () => {
    const clock = createFakeClock(T0);
    const logs: string[] = [];
    const tracker = await createTracker(
      {
        clock,
        capturer: { module: syntheticCapturerModule, options: { width: 64, height: 48 } },
        idle: { idleMs: async () => 0 },
        windows: { current: async () => null },
        log: (l) => logs.push(l),
      },
      { dataDir, projects: [{ id: PROJECT, name: 'P', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
    );
    const filler = join(dataDir, 'filler');
    try {
      await tracker.api['timer.start']({ projectId: PROJECT });
      fill(filler);
      for (let i = 0; i < 30; i++) await clock.advance(10_000); // five minutes of heartbeats and activity minutes on a full disk
      const status = await tracker.api['status.get']({});
      expect(status.running).toMatchObject({ projectId: PROJECT });
      expect(status.storageError).toMatch(/disk full/i);
      expect(logs.some((l) => /disk full/i.test(l))).toBe(true);

      rmSync(filler);
      await clock.advance(60_000); // the next heartbeat and the next minute find space again
      expect((await tracker.api['status.get']({})).storageError).toBeNull();
      const stopped = await tracker.api['timer.stop']({});
      expect(stopped.running).toBeNull();
      expect(stopped.todaySeconds).toBeGreaterThanOrEqual(300);
    } finally {
      rmSync(filler, { force: true });
      await tracker.shutdown();
    }
    // The minutes closed while the disk was full were kept and written once it had space: none is missing.
    const db = new Database(join(dataDir, 'outbox.db'), { readonly: true });
    try {
      const starts = (db.prepare('SELECT minute_start FROM activity_minutes ORDER BY minute_start').pluck().all() as number[]);
      expect(starts.length).toBeGreaterThanOrEqual(5);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(60_000);
    } finally {
      db.close();
    }
  });
});

describe('a full disk at start-up', () => {
  it('is waited out: the tracker starts once there is room, instead of the process exiting', async () => {
    const startDir = join(dataDir, 'fresh');
    const filler = join(dataDir, 'filler-start');
    fill(filler);
    const clock = createFakeClock(Date.now());
    const logs: string[] = [];
    let attempts = 0;
    const started = whenWritable(
      () => {
        attempts++;
        return createTracker(
          { clock, capturer: { module: syntheticCapturerModule, options: {} }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
          { dataDir: startDir, projects: [{ id: PROJECT, name: 'P', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
        );
      },
      { clock, log: (l) => logs.push(l) },
    );
    let settled = false;
    void started.finally(() => (settled = true)).catch(() => undefined);
    for (let i = 0; i < 5 && attempts < 3; i++) await clock.advance(DISK_FULL_RETRY_MS);
    expect(settled).toBe(false);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(logs[0]).toMatch(/^cannot start: disk full: .*trying again/);

    rmSync(filler);
    for (let i = 0; i < 10 && !settled; i++) await clock.advance(DISK_FULL_RETRY_MS);
    const tracker = await started;
    try {
      expect(logs.at(-1)).toBe('the disk has room again: starting');
      await tracker.api['timer.start']({ projectId: PROJECT });
      expect((await tracker.api['status.get']({})).running).toMatchObject({ projectId: PROJECT });
    } finally {
      await tracker.shutdown();
    }
  });
});
