import type { Db } from '../db/open-db';
import { appendOp } from '../db/ops.repository';
import { newId } from '../../shared/ids';
import type { EntriesRepository } from '../timer/entries.repository';
import type { IdleSpan, IdleSpansRepository } from './idle-spans.repository';

export type IdleDecision = { decision: 'keep' | 'discard' | 'assign'; projectId: string | null; taskId: string | null };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Applies an idle decision to the entry the span fell in. keep: nothing moves. discard: the
 * entry ends where the idle span began and (if it went on) resumes where it ended, so the span
 * is no longer tracked. assign: as discard, plus a closed entry for the span on the chosen
 * project. All in one transaction, with the entry.upsert and idle.decision ops.
 */
export function applyIdleDecision(
  db: Db,
  entries: EntriesRepository,
  spans: IdleSpansRepository,
  span: IdleSpan,
  d: IdleDecision,
  now: number,
): void {
  const end = span.endedAt ?? now;
  db.transaction(() => {
    const entry = span.entryId ? entries.get(span.entryId) : null;
    if (entry && d.decision !== 'keep') {
      const after = entry.endedAt;
      // Only the part of the span that was tracked moves: never time before the entry or after it ended.
      const from = Math.max(span.startedAt, entry.startedAt);
      const to = after === null ? end : Math.min(end, after);
      entries.setEnd(entry.id, from, 'idle', now);
      if (d.decision === 'assign' && d.projectId && to > from) entries.insertClosed(d.projectId, d.taskId, from, to, now);
      if (after === null) entries.start(entry.projectId, entry.taskId, end, now);
      else if (after > end) entries.insertClosed(entry.projectId, entry.taskId, end, after, now);
    }
    spans.decide(span.id, d.decision, end, now);
    appendOp(
      db,
      {
        id: newId(now),
        kind: 'idle.decision',
        span: {
          id: span.id,
          entryId: span.entryId,
          startedAt: iso(span.startedAt),
          endedAt: iso(end),
          decision: d.decision,
          projectId: d.decision === 'assign' ? d.projectId : null,
          taskId: d.decision === 'assign' ? d.taskId : null,
        },
      },
      now,
    );
  })();
}
