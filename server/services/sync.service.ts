import { createHash } from 'node:crypto';
import type { PushOpResult, PushRequest, PushResponse, SyncOp } from '../../src/shared/http/push';
import { conflict, HttpError, notFound, unprocessable } from '../errors/http-error';
import type { Tx } from '../store/db';
import { refreshActivityRollups, TouchedBuckets } from '../store/activity-rollups.repository';
import { markDeviceSeen } from '../store/devices.repository';
import { saveDeviceReport } from '../store/fleet.repository';
import { projectExists, taskExists } from '../store/directory.repository';
import { claimOp, findOpReceipt, recordOpResult, upsertActivityMinute, upsertEntry, upsertIdleSpan } from '../store/sync.repository';
import { deleteScreenshotInTx } from './delete-screenshot';
import type { ServiceContext } from './context';
import { assertOwnDevice } from './devices.service';
import { ingestCounter } from './metrics';
import { orgPolicy } from './org.service';
import { plausibleInstant } from './time-rules';
import type { Principal } from '../auth/tokens';

interface OpScope {
  ctx: ServiceContext;
  by: Principal;
  deviceId: string;
  tx: Tx;
  now: Date;
  graceSeconds: number;
  /** Object keys to delete once the batch has committed. */
  deadKeys: string[];
  /** Project/task pairs already found in this batch. */
  knownProjects: Set<string>;
  /** Rollup buckets the batch's minutes land in, recomputed once before it commits. */
  touched: TouchedBuckets;
}

async function assertProject(s: OpScope, projectId: string, taskId: string | null): Promise<void> {
  const key = `${projectId}/${taskId ?? ''}`;
  if (s.knownProjects.has(key)) return;
  if (!(await projectExists(s.tx, s.by.orgId, projectId))) throw notFound(`unknown project ${projectId}`);
  if (taskId && !(await taskExists(s.tx, s.by.orgId, projectId, taskId))) throw notFound(`unknown task ${taskId} in project ${projectId}`);
  s.knownProjects.add(key);
}

/** Text PostgreSQL stores: a title cut inside an emoji (lone surrogate) or a NUL would fail the whole batch. */
const storable = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').replaceAll('\u0000', '\ufffd');

async function applyOp(s: OpScope, op: SyncOp): Promise<void> {
  const { tx, by, now } = s;
  const owner = { orgId: by.orgId, userId: by.userId, deviceId: s.deviceId };
  switch (op.kind) {
    case 'entry.upsert': {
      const e = op.entry;
      const started = plausibleInstant(e.startedAt, now, 'entry.startedAt');
      const ended = e.endedAt ? plausibleInstant(e.endedAt, now, 'entry.endedAt') : null;
      if (ended && ended < started) throw unprocessable('entry.endedAt is before entry.startedAt');
      await assertProject(s, e.projectId, e.taskId);
      const stored = await upsertEntry(tx, owner, { id: e.id, projectId: e.projectId, taskId: e.taskId, startedAt: started, endedAt: ended, stopReason: e.stopReason });
      if (!stored) throw conflict('this entry id belongs to someone else');
      return;
    }
    case 'activity.minute': {
      const m = op.minute;
      const start = plausibleInstant(m.minuteStart, now, 'minute.minuteStart');
      if (start.getTime() % 60_000 !== 0) throw unprocessable('minute.minuteStart must be the start of a minute');
      const appsJson = JSON.stringify(m.apps.map((a) => ({ ...a, app: storable(a.app), ...(a.title === undefined ? {} : { title: storable(a.title) }) })));
      const stored = await upsertActivityMinute(tx, owner, { id: m.id, entryId: m.entryId, minuteStart: start, activeSeconds: m.activeSeconds, trackedSeconds: m.trackedSeconds, appsJson });
      if (!stored) throw conflict('this activity minute id belongs to someone else');
      s.touched.add(start, new Date(start.getTime() + 60_000));
      return;
    }
    case 'screenshot.delete': {
      const askedAt = plausibleInstant(op.deletedAt, now, 'deletedAt');
      s.deadKeys.push(...(await deleteScreenshotInTx(tx, by, { id: op.screenshotId, askedAt, now, graceSeconds: s.graceSeconds, via: 'push' })));
      return;
    }
    case 'idle.decision': {
      const sp = op.span;
      const started = plausibleInstant(sp.startedAt, now, 'span.startedAt');
      const ended = plausibleInstant(sp.endedAt, now, 'span.endedAt');
      if (ended < started) throw unprocessable('span.endedAt is before span.startedAt');
      if (sp.decision === 'assign') {
        if (!sp.projectId) throw unprocessable('an assigned idle span needs a projectId');
        await assertProject(s, sp.projectId, sp.taskId);
      }
      const stored = await upsertIdleSpan(tx, owner, { id: sp.id, entryId: sp.entryId, startedAt: started, endedAt: ended, decision: sp.decision, projectId: sp.projectId, taskId: sp.taskId });
      if (!stored) throw conflict('this idle span id belongs to someone else');
      return;
    }
  }
}

function contentHash(op: SyncOp): string {
  return createHash('sha256').update(JSON.stringify(op)).digest('hex');
}

/**
 * Claim first: inserting the op's id blocks a concurrent push of the same id until this one
 * commits, so an op is applied at most once. Every refusal is decided before the op writes
 * anything, so a rejected op only turns its claim into the stored rejection (no savepoints).
 */
async function processOp(s: OpScope, op: SyncOp): Promise<PushOpResult> {
  const hash = contentHash(op);
  const claimed = await claimOp(s.tx, { orgId: s.by.orgId, userId: s.by.userId, deviceId: s.deviceId }, { id: op.id, kind: op.kind, contentHash: hash });
  if (claimed) {
    try {
      await applyOp(s, op);
      return { id: op.id, outcome: 'applied' };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const result: PushOpResult = { id: op.id, outcome: 'rejected', status: err.status, reason: err.detail ?? err.title };
      await recordOpResult(s.tx, op.id, result);
      return result;
    }
  }
  const row = await findOpReceipt(s.tx, op.id);
  if (!row || row.user_id !== s.by.userId) {
    return { id: op.id, outcome: 'rejected', status: 409, reason: 'this op id was already used by someone else' };
  }
  if (row.content_hash !== hash) {
    return { id: op.id, outcome: 'rejected', status: 409, reason: 'this op id was already applied with different content' };
  }
  return row.result;
}

/** Applies a batch of ops, each at most once (by op id); a replay returns the first result. */
export async function push(ctx: ServiceContext, by: Principal, req: PushRequest): Promise<PushResponse> {
  const now = ctx.now();
  const ids = new Set<string>();
  for (const op of req.ops) {
    if (ids.has(op.id)) throw unprocessable(`op id ${op.id} appears twice in this batch`);
    ids.add(op.id);
  }
  const policy = await orgPolicy(ctx, by.orgId);
  const deadKeys: string[] = [];
  const results = await ctx.db.inOrg(by.orgId, async (tx) => {
    await assertOwnDevice(ctx, by, req.deviceId, tx);
    const scope: OpScope = { ctx, by, deviceId: req.deviceId, tx, now, graceSeconds: policy.screenshotDeleteGraceSeconds, deadKeys, knownProjects: new Set(), touched: new TouchedBuckets() };
    const out: PushOpResult[] = [];
    for (const op of req.ops) out.push(await processOp(scope, op));
    await refreshActivityRollups(tx, by.orgId, by.userId, scope.touched);
    await markDeviceSeen(tx, req.deviceId, now);
    // Ordered by the device's sentAt (never later than the server's now, so a fast clock cannot pin an old report).
    if (req.device) await saveDeviceReport(tx, req.deviceId, new Date(Math.min(Date.parse(req.sentAt), now.getTime())), req.device);
    return out;
  });
  if (deadKeys.length) await ctx.blobs.delete(deadKeys).catch((err) => ctx.log.warn({ err }, 'blob delete failed'));
  for (const r of results) ingestCounter.inc({ kind: r.outcome === 'applied' ? 'op.applied' : 'op.rejected' });
  return { results };
}
