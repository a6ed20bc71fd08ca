import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { startXvfb, type Xvfb } from '../../../test/infra/xvfb';
import { tempDir } from '../test-support/temp-dir';
import { defaultCapturerModule, startCaptureWorker } from './capture-worker-client';
import { defaultEncodeOptions } from './encoder';
import { digests } from './encoder';
import { readFile } from 'node:fs/promises';
import { createTracker } from '../tracker';
import type { TrackerEvent } from '../../shared/tracker-api';

const W = 1280;
const H = 720;
// Four quadrants of known colours, shown on the root window of a real X server.
const QUADRANTS = [
  { x: 0, y: 0, rgb: [220, 30, 30] },
  { x: W / 2, y: 0, rgb: [30, 200, 40] },
  { x: 0, y: H / 2, rgb: [30, 60, 220] },
  { x: W / 2, y: H / 2, rgb: [240, 240, 240] },
] as const;

let x: Xvfb;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  x = await startXvfb({ width: W, height: H });
  dir = tempDir();
  const composite = QUADRANTS.map((q) => ({
    input: { create: { width: W / 2, height: H / 2, channels: 3 as const, background: { r: q.rgb[0], g: q.rgb[1], b: q.rgb[2] } } },
    left: q.x,
    top: q.y,
  }));
  const png = await sharp({ create: { width: W, height: H, channels: 3, background: '#000' } }).composite(composite).png().toBuffer();
  const file = join(dir.path, 'shown.png');
  writeFileSync(file, png);
  // ImageMagick's `display -window root` paints the root window and exits 1 even when it worked.
  const shown = spawnSync('display', ['-window', 'root', file], { env: x.env, encoding: 'utf8' });
  if (shown.error || shown.stderr) throw new Error(`display failed: ${shown.error?.message ?? shown.stderr}`);
});
afterAll(async () => {
  await x?.stop();
  dir?.remove();
});

describe('screenshot-desktop capturer on a real X server', () => {
  it('captures the shown image through the worker and stores a file of the right size and pixels', async () => {
    const shotsDir = join(dir.path, 'shots');
    execFileSync('mkdir', ['-p', shotsDir]);
    const worker = startCaptureWorker({
      capturer: { module: defaultCapturerModule, options: { display: x.display } },
      dir: shotsDir,
      encode: defaultEncodeOptions,
    });
    try {
      const [shot, ...rest] = await worker.shoot(Date.now());
      expect(rest).toEqual([]);
      expect(shot).toMatchObject({ width: W, height: H, contentType: 'image/webp', displayId: 'screen' });
      const bytes = await readFile(shot!.filePath);
      expect(digests(bytes)).toEqual({ sha256: shot!.sha256, md5: shot!.md5 });
      expect(bytes.length).toBe(shot!.bytes);
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([W, H]);
      for (const q of QUADRANTS) {
        const px = (q.x + W / 4) + (q.y + H / 4) * W;
        const got = [data[px * info.channels], data[px * info.channels + 1], data[px * info.channels + 2]];
        got.forEach((v, i) => expect(Math.abs(v! - q.rgb[i]!)).toBeLessThanOrEqual(8));
      }
      const thumb = await sharp(shot!.thumbPath!).metadata();
      expect([thumb.width, thumb.height]).toEqual([320, 180]);
      expect(readdirSync(shotsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('fails every capture visibly when the display does not exist and leaves no file behind', async () => {
    const shotsDir = join(dir.path, 'shots2');
    execFileSync('mkdir', ['-p', shotsDir]);
    const bad = startCaptureWorker({
      capturer: { module: defaultCapturerModule, options: { display: ':987' } },
      dir: shotsDir,
      encode: defaultEncodeOptions,
    });
    try {
      await expect(bad.shoot(Date.now())).rejects.toThrow(/cannot list displays on :987/);
      await expect(bad.shoot(Date.now())).rejects.toThrow(/:987/);
    } finally {
      await bad.close();
    }
    expect(readdirSync(shotsDir)).toEqual([]);
  });

  it('through the tracker: a missing display fails that capture visibly and tracking goes on', async () => {
    const project = { id: '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f', name: 'P', tasks: [] };
    const tracker = await createTracker(
      { capturer: { module: defaultCapturerModule, options: { display: ':986' } }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
      { dataDir: join(dir.path, 'no-display'), projects: [project], policy: { screenshotsPerSlot: 0 } },
    );
    const events: TrackerEvent[] = [];
    tracker.on((e) => events.push(e));
    try {
      await tracker.api['timer.start']({ projectId: project.id });
      expect(await tracker.captureNow()).toBe(0);
      expect(events).toContainEqual(expect.objectContaining({ type: 'capture-failed', reason: expect.stringMatching(/:986/) }));
      const status = await tracker.api['status.get']({});
      expect(status).toMatchObject({ running: { projectId: project.id }, lastCaptureError: expect.stringMatching(/cannot list displays on :986/) });
    } finally {
      await tracker.shutdown();
    }
  });
});
