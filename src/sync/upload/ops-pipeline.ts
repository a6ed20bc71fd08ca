import { MAX_OPS_PER_PUSH } from '../../shared/http/push';
import type { ClockOffset } from '../api/clock-offset';
import { inFlight, workerLoop, type EngineContext } from './engine-context';
import { pushOps } from './ops-batch';
import type { OpJob } from '../db/outbox-port';

/** Ops (entries, activity minutes, deletions, idle decisions) up in batches through /v1/sync/push, one batch at a time. */
export async function opsWorker(ctx: EngineContext, clock: ClockOffset): Promise<void> {
  const { gate, queue, timers, wakes, leaseMs, idlePollMs } = ctx;
  await workerLoop(ctx, async () => {
    await gate.wait(false);
    const jobs = queue.claimOps(MAX_OPS_PER_PUSH, leaseMs, timers.now());
    if (jobs.length === 0) return wakes.idle(idlePollMs);
    await inFlight(ctx, () => runOps(ctx, clock, jobs));
  });
}

async function runOps(ctx: EngineContext, clock: ClockOffset, jobs: OpJob[]): Promise<void> {
  const { queue, client, gate, timers, signal, status, outcomes } = ctx;
  const ids = jobs.map((j) => j.id);
  try {
    const sentAt = () => new Date(clock.now()).toISOString();
    const outcome = await outcomes.withRetries(() => pushOps(jobs, { client, deviceId: gate.deviceId, sentAt, signal, report: ctx.deviceReport }));
    const now = timers.now();
    queue.markOpsDone(outcome.applied, now);
    for (const r of outcome.rejected) queue.deadOp(r.id, r.reason, now);
    if (outcome.unanswered.length) queue.retryOps(outcome.unanswered, now, 'the server did not answer for this op', false);
    if (outcome.rejected.length) status.update({ lastError: outcome.rejected[0]!.reason });
    outcomes.succeeded(outcome.applied.length);
  } catch (err) {
    const attempts = Math.max(...jobs.map((j) => j.attempts));
    const failure = await outcomes.failed(err, attempts);
    outcomes.settle(
      failure,
      attempts,
      (at, count) => queue.retryOps(ids, at, failure.reason, count),
      () => ids.forEach((id) => queue.deadOp(id, failure.reason, timers.now())),
    );
  }
}
