import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTracker } from '../tracker';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { TEMP_SUFFIX } from './atomic-file';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';

describe('a clean stop', () => {
  it('leaves no temp file in the shot folder, even with captures still in flight', async () => {
    const dir = tempDir();
    try {
      for (let round = 0; round < 5; round++) {
        const tracker = await createTracker(
          { capturer: { module: syntheticCapturerModule, options: { displays: 2, width: 640, height: 480 } }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
          { dataDir: dir.path, projects: [{ id: PROJECT, name: 'P', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
        );
        await tracker.api['timer.start']({ projectId: PROJECT });
        const inFlight = [tracker.captureNow(), tracker.captureNow(), tracker.captureNow()];
        await tracker.shutdown();
        await Promise.allSettled(inFlight);
        expect(readdirSync(join(dir.path, 'screenshots')).filter((n) => n.endsWith(TEMP_SUFFIX))).toEqual([]);
      }
    } finally {
      dir.remove();
    }
  });
});
