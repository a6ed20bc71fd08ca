import type { Clock, TimerHandle } from '../clock';
import { checkpoint, type Db } from '../db/open-db';
import { sweepDoneFiles } from './recover';

export const HOUSEKEEPING_MS = 5 * 60_000;

/**
 * Every HOUSEKEEPING_MS: delete the files of uploaded screenshots past the keep-local period and
 * truncate the WAL. stop() waits for a round in progress, so the database can close after it.
 */
export function startHousekeeping(deps: { db: Db; clock: Clock; keepMs: () => number; log: (line: string) => void }) {
  const { db, clock } = deps;
  let timer: TimerHandle | null = null;
  let round: Promise<void> = Promise.resolve();
  let stopped = false;
  const arm = () => {
    timer = clock.setTimeout(() => {
      round = (async () => {
        try {
          await sweepDoneFiles(db, clock.now(), deps.keepMs());
          checkpoint(db);
        } catch (err) {
          deps.log(`housekeeping failed: ${(err as Error).message}`);
        }
        // stop() may have come while the sweep awaited its unlinks: never re-arm on a closed db.
        if (!stopped) arm();
      })();
    }, HOUSEKEEPING_MS);
  };
  arm();
  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
      await round;
    },
  };
}
