import { readFile } from 'node:fs/promises';
import { TrackerError, type TrackerOutput } from '../../shared/tracker-api';
import type { ScreenshotsRepository } from '../db/screenshots.repository';

/** The largest image the window is sent as one data: URL (a 4K WebP at q60 is well under this). */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

/** screenshots.image: the full-size local file of one screenshot, while it is still on the device. */
export async function screenshotImage(shots: ScreenshotsRepository, id: string): Promise<TrackerOutput<'screenshots.image'>> {
  const s = shots.get(id);
  if (!s) throw new TrackerError('not_found', `no screenshot ${id}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(s.filePath);
  } catch {
    throw new TrackerError('not_found', `the image of screenshot ${id} is no longer on this device (uploaded files are deleted)`);
  }
  if (bytes.length > MAX_IMAGE_BYTES) throw new TrackerError('failed_precondition', `the image of screenshot ${id} is over ${MAX_IMAGE_BYTES} bytes`);
  return { id: s.id, dataUrl: `data:${s.contentType};base64,${bytes.toString('base64')}`, width: s.width, height: s.height };
}
