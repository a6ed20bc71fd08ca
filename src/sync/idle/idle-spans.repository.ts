import type { Db } from '../db/open-db';
import { newId } from '../../shared/ids';

/** Idle spans awaiting (or holding) the user's keep / discard / assign decision. */
export interface IdleSpan {
  id: string;
  entryId: string | null;
  startedAt: number;
  endedAt: number | null;
  decision: 'keep' | 'discard' | 'assign' | null;
}

export function createIdleSpansRepository(db: Db) {
  const map = (r: { id: string; entry_id: string | null; started_at: number; ended_at: number | null; decision: IdleSpan['decision'] }): IdleSpan => ({
    id: r.id,
    entryId: r.entry_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    decision: r.decision,
  });
  return {
    open(entryId: string | null, startedAt: number): IdleSpan {
      const span: IdleSpan = { id: newId(startedAt), entryId, startedAt, endedAt: null, decision: null };
      db.prepare(`INSERT INTO idle_spans (id, entry_id, started_at) VALUES (?, ?, ?)`).run(span.id, entryId, startedAt);
      return span;
    },
    close(id: string, endedAt: number): void {
      db.prepare(`UPDATE idle_spans SET ended_at = ? WHERE id = ? AND ended_at IS NULL`).run(endedAt, id);
    },
    get(id: string): IdleSpan | null {
      const r = db.prepare(`SELECT * FROM idle_spans WHERE id = ?`).get(id);
      return r ? map(r as Parameters<typeof map>[0]) : null;
    },
    pending(): IdleSpan[] {
      return (db.prepare(`SELECT * FROM idle_spans WHERE decision IS NULL ORDER BY started_at`).all() as Parameters<typeof map>[0][]).map(map);
    },
    decide(id: string, decision: 'keep' | 'discard' | 'assign', endedAt: number, now: number): void {
      db.prepare(`UPDATE idle_spans SET decision = ?, ended_at = coalesce(ended_at, ?), decided_at = ? WHERE id = ?`).run(
        decision,
        endedAt,
        now,
        id,
      );
    },
  };
}
export type IdleSpansRepository = ReturnType<typeof createIdleSpansRepository>;
