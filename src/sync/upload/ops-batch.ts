import type { PushOpResult } from '../../shared/http/push';
import type { DeviceReport } from '../../shared/http/fleet';
import type { ServerClient } from '../api/server-client';
import { classifyFailure } from './failure-classifier';
import type { OpJob } from '../db/outbox-port';

export interface OpsOutcome {
  applied: string[];
  rejected: Array<{ id: string; reason: string }>;
  /** Ops the server did not answer for (a short reply): they go back to the queue. */
  unanswered: string[];
  requests: number;
}

interface PushContext {
  client: ServerClient;
  deviceId: string;
  /** The corrected clock's now, as the request's sentAt. */
  sentAt: () => string;
  signal?: AbortSignal;
  /** The device's report for the fleet view, without the ops of the request it rides on. */
  report?: (sending: readonly string[]) => DeviceReport;
}

/**
 * Push a batch of ops. Per-op rejections come back as results and become dead letters one by
 * one. If the server refuses the whole request as invalid (a 4xx for the batch), the batch is
 * split in halves until the one bad op is alone, so it alone becomes a dead letter.
 * Transient failures propagate to the caller, which puts the whole batch back with backoff.
 */
export async function pushOps(jobs: OpJob[], ctx: PushContext): Promise<OpsOutcome> {
  const outcome: OpsOutcome = { applied: [], rejected: [], unanswered: [], requests: 0 };
  await pushPart(jobs, ctx, outcome);
  return outcome;
}

async function pushPart(jobs: OpJob[], ctx: PushContext, out: OpsOutcome): Promise<void> {
  if (jobs.length === 0) return;
  let results: PushOpResult[];
  try {
    out.requests++;
    const request = { deviceId: ctx.deviceId, sentAt: ctx.sentAt(), ops: jobs.map((j) => j.op), ...(ctx.report ? { device: ctx.report(jobs.map((j) => j.id)) } : {}) };
    results = (await ctx.client.push(request, ctx.signal)).results;
  } catch (err) {
    const failure = classifyFailure(err);
    // A refusal of the whole request (401/403) is about who we are, not about one op: the engine decides.
    if (failure.kind !== 'permanent' || failure.status === 401 || failure.status === 403) throw err;
    if (jobs.length === 1) {
      out.rejected.push({ id: jobs[0]!.id, reason: failure.reason });
      return;
    }
    const half = Math.ceil(jobs.length / 2);
    await pushPart(jobs.slice(0, half), ctx, out);
    await pushPart(jobs.slice(half), ctx, out);
    return;
  }
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const job of jobs) {
    const result = byId.get(job.id);
    if (!result) out.unanswered.push(job.id);
    else if (result.outcome === 'applied') out.applied.push(job.id);
    else out.rejected.push({ id: job.id, reason: `${result.status} ${result.reason}` });
  }
}
