import { createHash } from 'node:crypto';
import type { PushOpResult, PushRequest, PushResponse, SyncOp } from '../../src/shared/http/push';
import { conflict, HttpError, notFound, unprocessable } from '../http/http-error';
import type { Tx } from '../store/db';
import { deleteScreenshotInTx } from './delete-screenshot';
import type { ServiceContext } from './context';
import { assertOwnDevice } from './devices.service';
import { ingestCounter } from './metrics';
import { orgPolicy } from './org.service';
import { plausibleInstant } from './time-rules';
import type { Principal } from './tokens';

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
}

async function assertProject(s: OpScope, projectId: string, taskId: string | null): Promise<void> {
  const key = `${projectId}/${taskId ?? ''}`;
  if (s.knownProjects.has(key)) return;
  const p = await s.tx.query(`SELECT 1 FROM projects WHERE id = $1 AND org_id = $2`, [projectId, s.by.orgId]);
  if (p.rowCount === 0) throw notFound(`unknown project ${projectId}`);
  if (taskId) {
    const t = await s.tx.query(`SELECT 1 FROM tasks WHERE id = $1 AND project_id = $2 AND org_id = $3`, [taskId, projectId, s.by.orgId]);
    if (t.rowCount === 0) throw notFound(`unknown task ${taskId} in project ${projectId}`);
  }
  s.knownProjects.add(key);
}

/** Text PostgreSQL stores: a title cut inside an emoji (lone surrogate) or a NUL would fail the whole batch. */
const storable = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').replaceAll('\u0000', '\ufffd');

async function applyOp(s: OpScope, op: SyncOp): Promise<void> {
  const { tx, by, now } = s;
  switch (op.kind) {
    case 'entry.upsert': {
      const e = op.entry;
      const started = plausibleInstant(e.startedAt, now, 'entry.startedAt');
      const ended = e.endedAt ? plausibleInstant(e.endedAt, now, 'entry.endedAt') : null;
      if (ended && ended < started) throw unprocessable('entry.endedAt is before entry.startedAt');
      await assertProject(s, e.projectId, e.taskId);
      const r = await tx.query(
        `INSERT INTO time_entries (id, org_id, user_id, device_id, project_id, task_id, started_at, ended_at, stop_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, task_id = excluded.task_id,
           started_at = excluded.started_at,
           -- an entry once ended stays ended: a late, out-of-order upsert of its start must not reopen it
           ended_at = coalesce(excluded.ended_at, time_entries.ended_at),
           stop_reason = coalesce(excluded.stop_reason, time_entries.stop_reason), received_at = now()
         WHERE time_entries.user_id = excluded.user_id RETURNING id`,
        [e.id, by.orgId, by.userId, s.deviceId, e.projectId, e.taskId, started, ended, e.stopReason],
      );
      if (r.rowCount === 0) throw conflict('this entry id belongs to someone else');
      return;
    }
    case 'activity.minute': {
      const m = op.minute;
      const start = plausibleInstant(m.minuteStart, now, 'minute.minuteStart');
      if (start.getTime() % 60_000 !== 0) throw unprocessable('minute.minuteStart must be the start of a minute');
      const r = await tx.query(
        `INSERT INTO activity_minutes (id, org_id, user_id, device_id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, minute_start = excluded.minute_start,
           active_seconds = excluded.active_seconds, tracked_seconds = excluded.tracked_seconds, apps = excluded.apps
         WHERE activity_minutes.user_id = excluded.user_id RETURNING id`,
        [m.id, by.orgId, by.userId, s.deviceId, m.entryId, start, m.activeSeconds, m.trackedSeconds, JSON.stringify(m.apps.map((a) => ({ ...a, app: storable(a.app), ...(a.title === undefined ? {} : { title: storable(a.title) }) })))],
      );
      if (r.rowCount === 0) throw conflict('this activity minute id belongs to someone else');
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
      const r = await tx.query(
        `INSERT INTO idle_spans (id, org_id, user_id, entry_id, started_at, ended_at, decision, project_id, task_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, started_at = excluded.started_at, ended_at = excluded.ended_at,
           decision = excluded.decision, project_id = excluded.project_id, task_id = excluded.task_id
         WHERE idle_spans.user_id = excluded.user_id RETURNING id`,
        [sp.id, by.orgId, by.userId, sp.entryId, started, ended, sp.decision, sp.projectId, sp.taskId],
      );
      if (r.rowCount === 0) throw conflict('this idle span id belongs to someone else');
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
  const claimed = await s.tx.query(
    `INSERT INTO sync_ops (id, org_id, user_id, device_id, kind, content_hash, result) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [op.id, s.by.orgId, s.by.userId, s.deviceId, op.kind, hash, JSON.stringify({ id: op.id, outcome: 'applied' })],
  );
  if (claimed.rowCount === 1) {
    try {
      await applyOp(s, op);
      return { id: op.id, outcome: 'applied' };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const result: PushOpResult = { id: op.id, outcome: 'rejected', status: err.status, reason: err.detail ?? err.title };
      await s.tx.query(`UPDATE sync_ops SET result = $2 WHERE id = $1`, [op.id, JSON.stringify(result)]);
      return result;
    }
  }
  const prior = await s.tx.query<{ content_hash: string; result: PushOpResult; user_id: string }>(
    `SELECT content_hash, result, user_id FROM sync_ops WHERE id = $1`,
    [op.id],
  );
  const row = prior.rows[0];
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
    const scope: OpScope = { ctx, by, deviceId: req.deviceId, tx, now, graceSeconds: policy.screenshotDeleteGraceSeconds, deadKeys, knownProjects: new Set() };
    const out: PushOpResult[] = [];
    for (const op of req.ops) out.push(await processOp(scope, op));
    await tx.query(`UPDATE devices SET last_seen_at = $2 WHERE id = $1`, [req.deviceId, now]);
    return out;
  });
  if (deadKeys.length) await ctx.blobs.delete(deadKeys).catch((err) => ctx.log.warn({ err }, 'blob delete failed'));
  for (const r of results) ingestCounter.inc({ kind: r.outcome === 'applied' ? 'op.applied' : 'op.rejected' });
  return { results };
}
