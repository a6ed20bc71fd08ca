import type { Db } from '../store/db';
import { skippedRows } from '../store/legacy-ledger.repository';

const SHOWN = 20;

/** The legacy rows that could not be moved and why (all of them stay in legacy_skipped). */
export async function skippedReport(db: Db, source: string): Promise<{ rows: Array<{ legacyId: string; reason: string }>; text: string }> {
  const rows = await db.system((tx) => skippedRows(tx, source));
  if (rows.length === 0) return { rows, text: 'no legacy row was skipped\n' };
  const lines = rows.slice(0, SHOWN).map((r) => `  ${r.legacyId}: ${r.reason}`);
  if (rows.length > SHOWN) lines.push(`  … and ${rows.length - SHOWN} more (SELECT * FROM legacy_skipped WHERE source = '${source}')`);
  return { rows, text: `${rows.length} legacy rows skipped (left in the legacy table):\n${lines.join('\n')}\n` };
}
