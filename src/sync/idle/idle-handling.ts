import { TrackerError, type TrackerEvent, type TrackerParsedInput } from '../../shared/tracker-api';
import type { Db } from '../db/open-db';
import type { EntriesRepository } from '../timer/entries.repository';
import type { IdleTransition } from './idle-detector';
import { applyIdleDecision } from './idle-decision';
import type { IdleSpan, IdleSpansRepository } from './idle-spans.repository';

const iso = (ms: number) => new Date(ms).toISOString();

export interface IdleHandlingDeps {
  db: Db;
  entries: EntriesRepository;
  spans: IdleSpansRepository;
  knownProject(projectId: string | null): boolean;
  log(line: string): void;
  emit(e: TrackerEvent): void;
}

/** The tracker's idle side: spans opened and closed from the sampler's transitions, and the user's decision on them. */
export function createIdleHandling(d: IdleHandlingDeps) {
  const { entries, spans } = d;
  let openSpanId: string | null = null;
  // A span decided while still open ends at the decision; idle time after it is a new span.
  let idleNotBefore = -Infinity;

  return {
    /** A span a previous run left open lasted until that run's entry ended (its last heartbeat). */
    closeLeftOpen(): void {
      for (const s of spans.pending()) {
        if (s.endedAt !== null) continue;
        const ended = s.entryId ? entries.get(s.entryId)?.endedAt : null;
        spans.close(s.id, Math.max(s.startedAt, ended ?? s.startedAt));
      }
    },

    onIdle(t: NonNullable<IdleTransition>, entryId: string | null): void {
      if (t.type === 'opened') {
        // Input may have stopped before the timer started: the span never reaches before the entry.
        const entryStart = entryId ? entries.get(entryId)?.startedAt : undefined;
        const span = spans.open(entryId, Math.max(t.startedAt, entryStart ?? t.startedAt, idleNotBefore));
        openSpanId = span.id;
        d.log(`idle since ${iso(span.startedAt)}: waiting for a keep/discard decision`);
        d.emit({ type: 'idle', span: { id: span.id, entryId, startedAt: iso(span.startedAt), endedAt: null } });
      } else if (openSpanId) {
        spans.close(openSpanId, t.endedAt);
        const span = spans.get(openSpanId)!;
        openSpanId = null;
        d.emit({ type: 'idle', span: { id: span.id, entryId: span.entryId, startedAt: iso(span.startedAt), endedAt: iso(span.endedAt ?? t.endedAt) } });
      }
    },

    hasPending: (): boolean => spans.pending().length > 0,

    pending: () =>
      spans.pending().map((s) => ({ id: s.id, entryId: s.entryId, startedAt: iso(s.startedAt), endedAt: s.endedAt === null ? null : iso(s.endedAt) })),

    /** Checks the decision can be applied; throws the TrackerError the boundary answers with. */
    spanToDecide(input: TrackerParsedInput<'idle.decide'>): IdleSpan {
      const { spanId, decision, projectId } = input;
      const span = spans.get(spanId);
      if (!span) throw new TrackerError('not_found', `no idle span ${spanId}`);
      if (span.decision) throw new TrackerError('failed_precondition', `idle span ${spanId} was already decided (${span.decision})`);
      if (decision === 'assign' && !d.knownProject(projectId)) throw new TrackerError('not_found', `unknown project ${projectId}`);
      return span;
    },

    /** Applies it; returns true when the span was still open (the caller resets the idle detector). */
    decide(span: IdleSpan, input: TrackerParsedInput<'idle.decide'>, now: number): boolean {
      const { decision, projectId, taskId } = input;
      applyIdleDecision(d.db, entries, spans, span, { decision, projectId, taskId }, now);
      d.log(`idle span ${span.id}: ${decision}`);
      if (span.id !== openSpanId) return false;
      // Decided before the user came back: if the idling goes on, it opens a new span from now.
      openSpanId = null;
      idleNotBefore = now;
      return true;
    },
  };
}
export type IdleHandling = ReturnType<typeof createIdleHandling>;
