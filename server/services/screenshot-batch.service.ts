import { createScreenshotRequestSchema, type CreateScreenshotRequest } from '../../src/shared/http/screenshots';
import { uuidV7 } from '../../src/shared/ids';
import type { CompleteBatchItem, DeclareBatchItem, ItemProblem } from '../../src/shared/http/screenshot-batch';
import { badRequest, conflict, gone, HttpError, notFound } from '../errors/http-error';
import { findOwnScreenshots, findTombstones, markReceived, upsertPendingMany } from '../store/screenshot-batch.repository';
import { wantsUpload, type NewScreenshot } from '../store/screenshots.repository';
import type { Principal } from '../auth/tokens';
import type { ServiceContext } from './context';
import { assertOwnDevice } from './devices.service';
import { ingestCounter } from './metrics';
import { DELETED_BEFORE_UPLOAD, SCREENSHOT_JOB, newScreenshotRow, sameDeclaration } from './screenshots.service';
import { plausibleInstant } from './time-rules';

type Refused = { status: 'refused'; id: string | null; problem: ItemProblem };

function refused(id: string | null, err: HttpError): Refused {
  return { status: 'refused', id, problem: { status: err.status, title: err.title, detail: err.detail ?? err.title } };
}

/** The item's id if it has a readable one (to name it in a refusal), else null. */
function idOf(raw: unknown): string | null {
  const id = typeof raw === 'string' ? raw : (raw as { id?: unknown } | null)?.id;
  return uuidV7.safeParse(id).success ? (id as string).toLowerCase() : null;
}

function invalid(r: { error: { issues: Array<{ path: PropertyKey[]; message: string }> } }, where: string): HttpError {
  const errors = r.error.issues.slice(0, 20).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return badRequest(`invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

/** Judges each item alone: the valid ones go on (first of a repeated id only), the rest are answered now. */
function sortItems(raw: unknown[], now: Date) {
  const answers: Array<DeclareBatchItem | null> = [];
  const valid: Array<{ index: number; req: CreateScreenshotRequest; takenAt: Date }> = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const r = createScreenshotRequestSchema.safeParse(item);
    if (!r.success) return void answers.push(refused(idOf(item), invalid(r, `items.${index}`)));
    const req = { ...r.data, id: r.data.id.toLowerCase(), deviceId: r.data.deviceId.toLowerCase() };
    if (seen.has(req.id)) return void answers.push(refused(req.id, badRequest(`items.${index}: this id appears earlier in the same batch`)));
    seen.add(req.id);
    try {
      valid.push({ index, req, takenAt: plausibleInstant(req.takenAt, now, `items.${index}.takenAt`) });
      answers.push(null);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      answers.push(refused(req.id, err));
    }
  });
  return { answers, valid };
}

/**
 * Declares up to 100 screenshots in one transaction: each answered with a presigned PUT, "stored"
 * (an idempotent replay of a completed one) or refused with the status the single endpoint would give.
 */
export async function declareBatch(ctx: ServiceContext, by: Principal, raw: unknown[]): Promise<DeclareBatchItem[]> {
  const now = ctx.now();
  const { answers, valid } = sortItems(raw, now);
  const rows = await ctx.db.inOrg(by.orgId, async (tx) => {
    const deviceRefusal = new Map<string, HttpError | null>();
    for (const deviceId of new Set(valid.map((v) => v.req.deviceId))) {
      try {
        await assertOwnDevice(ctx, by, deviceId, tx);
        deviceRefusal.set(deviceId, null);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        deviceRefusal.set(deviceId, err);
      }
    }
    const tombstones = await findTombstones(tx, valid.map((v) => v.req.id), by.userId);
    const fresh: NewScreenshot[] = [];
    for (const { index, req, takenAt } of valid) {
      const deviceErr = deviceRefusal.get(req.deviceId);
      if (deviceErr) answers[index] = refused(req.id, deviceErr);
      else if (tombstones.has(req.id)) answers[index] = refused(req.id, gone(DELETED_BEFORE_UPLOAD));
      else fresh.push(newScreenshotRow(by, req, takenAt));
    }
    return upsertPendingMany(tx, fresh);
  });
  for (const { index, req } of valid) {
    if (answers[index]) continue;
    const row = rows.get(req.id);
    if (!row || !sameDeclaration(row, req, by.userId)) {
      answers[index] = refused(req.id, conflict('this screenshot id was already declared with different content'));
      continue;
    }
    if (!wantsUpload(row.state)) {
      answers[index] = { status: 'stored', id: row.id };
      continue;
    }
    const upload = await ctx.blobs.presignPut(row.object_key, {
      contentLength: row.bytes,
      contentMd5: row.md5,
      contentType: row.content_type,
      expiresInSeconds: ctx.settings.presignSeconds,
      now,
    });
    answers[index] = { status: 'upload', id: row.id, upload };
  }
  ingestCounter.inc({ kind: 'screenshot.presign' }, valid.length);
  return answers as DeclareBatchItem[];
}

/**
 * Records up to 100 uploads at once, without a HEAD per object: the presigned PUT signed the
 * length and MD5, so S3 took the bytes only if they were the declared ones. One job per batch
 * then verifies each object (HEAD, decode, thumbnail) and marks one that never arrived `missing`;
 * until then the row is `received`, which no timeline or view shows.
 */
export async function completeBatch(ctx: ServiceContext, by: Principal, raw: unknown[]): Promise<CompleteBatchItem[]> {
  const answers: Array<CompleteBatchItem | null> = raw.map((item, index) => {
    const id = idOf(item);
    return id && typeof item === 'string' ? null : refused(id, badRequest(`ids.${index} must be a UUIDv7`));
  });
  const ids = [...new Set(raw.filter((_, i) => !answers[i]).map((x) => (x as string).toLowerCase()))];
  const lateObjects: string[] = [];
  const moved = await ctx.db.system(async (tx) => {
    const own = new Map((await findOwnScreenshots(tx, by.orgId, by.userId, ids)).map((r) => [r.id, r]));
    const tombstones = await findTombstones(tx, ids.filter((id) => !own.has(id)), by.userId);
    for (const [, key] of tombstones) if (key) lateObjects.push(key);
    const toMark = ids.filter((id) => own.get(id) && wantsUpload(own.get(id)!.state));
    const marked = await markReceived(tx, by.orgId, toMark, ctx.now());
    if (marked.length) await ctx.jobs.send(SCREENSHOT_JOB, { orgId: by.orgId, screenshotIds: marked }, tx);
    return { own, tombstones };
  });
  if (moved.own.size) ctx.jobs.wake(SCREENSHOT_JOB);
  // Deleted by its owner while the PUT was in flight: the object may have landed since.
  if (lateObjects.length) await ctx.blobs.delete(lateObjects);
  raw.forEach((item, index) => {
    if (answers[index]) return;
    const id = (item as string).toLowerCase();
    if (moved.own.has(id)) answers[index] = { status: 'stored', id };
    else if (moved.tombstones.has(id)) answers[index] = refused(id, gone(DELETED_BEFORE_UPLOAD));
    else answers[index] = refused(id, notFound('no such screenshot declared by you'));
  });
  ingestCounter.inc({ kind: 'screenshot.complete' }, ids.length);
  return answers as CompleteBatchItem[];
}
