import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../capture/atomic-file';
import { newId } from '../../shared/ids';
import type { Db } from '../db/open-db';
import { appendOp } from '../db/ops.repository';
import { createScreenshotsRepository } from '../db/screenshots.repository';
import type { DeviceJournal } from './device-journal';

/**
 * What a tracker writes, written the tracker's way: the image file atomically first, then its
 * outbox row; an activity minute as an op. BEGIN/ACK go to the journal around each.
 */
export async function recordShot(
  db: Db,
  shotsDir: string,
  journal: DeviceJournal | null,
  now: number,
  image: (id: string) => Buffer | Promise<Buffer>,
): Promise<string> {
  const id = newId(now);
  journal?.begin('shot', id);
  const data = await image(id);
  const filePath = join(shotsDir, `${id}.display_0.webp`);
  await writeFileAtomic(filePath, data);
  createScreenshotsRepository(db).insert({
    id,
    entryId: null,
    takenAt: now,
    displayId: 'display_0',
    width: 32,
    height: 24,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    md5: createHash('md5').update(data).digest('base64'),
    contentType: 'image/webp',
    filePath,
    thumbPath: null,
  });
  journal?.ack('shot', id);
  return id;
}

export function recordMinute(db: Db, journal: DeviceJournal | null, now: number): string {
  const id = newId(now);
  journal?.begin('op', id);
  appendOp(
    db,
    {
      id,
      kind: 'activity.minute',
      minute: {
        id: newId(now),
        entryId: null,
        minuteStart: new Date(Math.floor(now / 60_000) * 60_000).toISOString(),
        activeSeconds: 30,
        trackedSeconds: 60,
        apps: [{ app: 'chaos', seconds: 30 }],
      },
    },
    now,
  );
  journal?.ack('op', id);
  return id;
}
