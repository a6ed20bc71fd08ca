import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { desktopScene } from '../../server/demo/scene';
import { newId } from '../../src/shared/ids';
import type { Db } from '../../src/sync/db/open-db';
import { createScreenshotsRepository } from '../../src/sync/db/screenshots.repository';
import { recordMinute } from '../../src/sync/test-support/device-records';

/** Desktop-like 1920×1080 WebP q60 screenshots (the core's default encoding), a few distinct ones. */
export async function sampleScreens(n: number): Promise<Buffer[]> {
  const scene = await desktopScene();
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const mark = await sharp({ create: { width: 200, height: 120, channels: 3, background: { r: (i * 53) % 256, g: (i * 97) % 256, b: 160 } } }).png().toBuffer();
    out.push(await sharp(scene).composite([{ input: mark, top: 700, left: 40 + i * 20 }]).webp({ quality: 60, effort: 2 }).toBuffer());
  }
  return out;
}

/**
 * A week offline: `shots` screenshots 200 s apart (3 per 10 minutes) and one activity minute per
 * minute of that span, written as the tracker writes them (file first, then the row).
 */
export function writeBacklog(db: Db, dir: string, screens: Buffer[], shots: number, endAt: number): { bytes: number; minutes: number } {
  const shotsDir = join(dir, 'shots');
  const poolDir = join(dir, 'pool');
  mkdirSync(shotsDir, { recursive: true });
  mkdirSync(poolDir, { recursive: true });
  const pool = screens.map((buf, i) => {
    const path = join(poolDir, `${i}.webp`);
    writeFileSync(path, buf);
    return {
      path,
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
      md5: createHash('md5').update(buf).digest('base64'),
    };
  });
  const repo = createScreenshotsRepository(db);
  const startAt = endAt - shots * 200_000;
  let bytes = 0;
  db.transaction(() => {
    for (let i = 0; i < shots; i++) {
      const takenAt = startAt + i * 200_000;
      const id = newId(takenAt);
      const src = pool[i % pool.length]!;
      const filePath = join(shotsDir, `${id}.display_0.webp`);
      copyFileSync(src.path, filePath);
      repo.insert({ id, entryId: null, takenAt, displayId: 'display_0', width: 1920, height: 1080, bytes: src.bytes, sha256: src.sha256, md5: src.md5, contentType: 'image/webp', filePath, thumbPath: null });
      bytes += src.bytes;
    }
  })();
  const minutes = Math.floor((endAt - startAt) / 60_000);
  db.transaction(() => {
    for (let m = 0; m < minutes; m++) recordMinute(db, null, startAt + m * 60_000);
  })();
  return { bytes, minutes };
}
