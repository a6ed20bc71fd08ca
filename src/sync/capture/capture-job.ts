import { writeFileAtomic } from './atomic-file';
import { digests, encodeFrame, type EncodeOptions } from './encoder';
import { shotPaths, displayKey } from './shot-files';
import type { Capturer } from './capturer';
import { newId } from '../../shared/ids';
import type { ScreenshotRecord } from '../db/screenshots.repository';

export type FileShot = Omit<ScreenshotRecord, 'entryId'>;

/**
 * Grab every display, encode, and write each picture durably. Returns what the rows must say;
 * the caller commits the rows only after this resolved (file first, then row).
 */
export async function captureToFiles(
  capturer: Capturer,
  dir: string,
  takenAt: number,
  encode: EncodeOptions,
): Promise<FileShot[]> {
  const frames = await capturer.grab();
  const shots: FileShot[] = [];
  for (const frame of frames) {
    const id = newId(takenAt);
    const enc = await encodeFrame(frame.image, encode);
    const displayId = displayKey(frame.displayId);
    const paths = shotPaths(dir, id, displayId, enc.ext);
    // Thumbnail first: the full file's rename is the commit point of the pair.
    await writeFileAtomic(paths.thumb, enc.thumb);
    await writeFileAtomic(paths.full, enc.full);
    shots.push({
      id,
      takenAt,
      displayId,
      width: enc.width,
      height: enc.height,
      bytes: enc.full.length,
      ...digests(enc.full),
      contentType: enc.contentType,
      filePath: paths.full,
      thumbPath: paths.thumb,
    });
  }
  return shots;
}
