import type { Db } from '../db/open-db';
import type { UploadQueue } from '../db/outbox-port';

/**
 * Give a queue `markScreenshotsDone` by running its single-row update for each id inside one
 * transaction on its own connection: under synchronous=FULL that is one fsync for the batch.
 */
export function withBatchedDone(queue: UploadQueue, db: Db): UploadQueue {
  if (queue.markScreenshotsDone) return queue;
  const markAll = db.transaction((ids: string[], now: number) => {
    for (const id of ids) queue.markScreenshotDone(id, now);
  });
  return Object.assign(Object.create(queue) as UploadQueue, { markScreenshotsDone: (ids: string[], now: number) => markAll(ids, now) });
}
