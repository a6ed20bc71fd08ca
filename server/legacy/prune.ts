import type { Db } from '../store/db';
import { markPruned, unprunedIds } from '../store/legacy-ledger.repository';
import type { LegacySource } from '../store/legacy-source.repository';

/**
 * `--prune`: deletes the legacy rows Stint's ledger says were moved (and verified), a batch at a
 * time; rows that were skipped or not reached stay. Safe to kill and re-run.
 */
export async function pruneLegacy(db: Db, legacy: LegacySource, source: string, batch = 500): Promise<number> {
  let after = '';
  let pruned = 0;
  for (;;) {
    const ids = await db.system((tx) => unprunedIds(tx, source, after, batch));
    if (ids.length === 0) return pruned;
    pruned += await legacy.prune(ids);
    await db.system((tx) => markPruned(tx, source, ids));
    after = ids[ids.length - 1]!;
  }
}
