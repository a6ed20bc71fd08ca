import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTracker } from '../tracker';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { mountSmallTmpfs } from '../test-support/small-tmpfs';
import type { TrackerEvent } from '../../shared/tracker-api';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
let dir: ReturnType<typeof tempDir>;
let shotsDir: string;

// A real full disk: a 1 MiB tmpfs mounted where the screenshots go (needs root, as CI runs).
let disk: { unmount(): void };
beforeAll(() => {
  dir = tempDir();
  shotsDir = join(dir.path, 'data', 'screenshots');
  disk = mountSmallTmpfs(shotsDir, '1m');
});
afterAll(() => {
  disk?.unmount();
  dir.remove();
});

describe('a full disk (ENOSPC)', () => {
  it('fails that capture visibly, leaves no partial file, and the tracker keeps running', async () => {
    const tracker = await createTracker(
      { capturer: { module: syntheticCapturerModule, options: { width: 400, height: 300 } }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
      { dataDir: join(dir.path, 'data'), projects: [{ id: PROJECT, name: 'P', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
    );
    const events: TrackerEvent[] = [];
    tracker.on((e) => events.push(e));
    try {
      await tracker.api['timer.start']({ projectId: PROJECT });
      const filler = join(shotsDir, 'filler');
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'count=1024']); // stops at ENOSPC: the disk is full
      expect(await tracker.captureNow()).toBe(0);
      const failed = events.find((e) => e.type === 'capture-failed');
      expect(failed).toMatchObject({ reason: expect.stringMatching(/ENOSPC/) });
      expect((await tracker.api['status.get']({})).lastCaptureError).toMatch(/ENOSPC/);
      expect(readdirSync(shotsDir)).toEqual(['filler']);

      rmSync(filler);
      expect(await tracker.captureNow()).toBe(1);
      const status = await tracker.api['status.get']({});
      expect(status).toMatchObject({ lastCaptureError: null, queue: { screenshots: 1 }, running: { projectId: PROJECT } });
    } finally {
      await tracker.shutdown();
    }
  });
});
