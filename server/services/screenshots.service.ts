import type {
  CreateScreenshotRequest,
  CreateScreenshotResponse,
  ScreenshotView,
} from '../../src/shared/http/screenshots';
import { conflict, gone, notFound } from '../errors/http-error';
import { screenshotKey } from '../store/blob/object-keys';
import {
  findScreenshot,
  findTombstone,
  markStored,
  hasObject,
  upsertPending,
  wantsUpload,
  type NewScreenshot,
  type ScreenshotRow,
} from '../store/screenshots.repository';
import { canSee } from '../store/users.repository';
import { audit } from './audit';
import { deleteScreenshotInTx } from './delete-screenshot';
import type { ServiceContext } from './context';
import { assertOwnDevice } from './devices.service';
import { orgPolicy } from './org.service';
import { plausibleInstant } from './time-rules';
import type { Principal } from '../auth/tokens';
import { signedViewUrls } from './view-urls';
import { ingestCounter } from './metrics';

export const SCREENSHOT_JOB = 'screenshot.process';
export const DELETED_BEFORE_UPLOAD = 'this screenshot was deleted by its owner before its upload finished; it will not be stored';

export function sameDeclaration(row: ScreenshotRow, req: CreateScreenshotRequest, userId: string): boolean {
  return (
    row.user_id === userId &&
    row.sha256 === req.sha256 &&
    row.md5 === req.md5 &&
    row.bytes === req.bytes &&
    row.content_type === req.contentType &&
    row.taken_at.getTime() === new Date(req.takenAt).getTime()
  );
}

/** Declares a screenshot: answers with a presigned PUT, or "stored" when it is already complete. */
export async function createScreenshot(ctx: ServiceContext, by: Principal, req: CreateScreenshotRequest): Promise<CreateScreenshotResponse> {
  const now = ctx.now();
  const takenAt = plausibleInstant(req.takenAt, now, 'takenAt');
  const row = await ctx.db.inOrg(by.orgId, async (tx) => {
    await assertOwnDevice(ctx, by, req.deviceId, tx);
    if (await findTombstone(tx, req.id, by.userId)) throw gone(DELETED_BEFORE_UPLOAD);
    return upsertPending(tx, newScreenshotRow(by, req, takenAt));
  });
  if (!row || !sameDeclaration(row, req, by.userId)) throw conflict('this screenshot id was already declared with different content');
  if (!wantsUpload(row.state)) return { status: 'stored', id: row.id };
  ingestCounter.inc({ kind: 'screenshot.presign' });
  const upload = await ctx.blobs.presignPut(row.object_key, {
    contentLength: row.bytes,
    contentMd5: row.md5,
    contentType: row.content_type,
    expiresInSeconds: ctx.settings.presignSeconds,
    now,
  });
  return { status: 'upload', id: row.id, upload };
}

/** The device says the PUT succeeded: HEAD the object, check it, record it, queue processing. */
export async function completeScreenshot(ctx: ServiceContext, by: Principal, id: string) {
  const [row, tombstone] = await ctx.db.inOrg(by.orgId, (tx) => Promise.all([findScreenshot(tx, id), findTombstone(tx, id, by.userId)]));
  if (!row && tombstone) {
    // Deleted by its owner while the PUT was in flight: the object may have landed since.
    if (tombstone.object_key) await ctx.blobs.delete([tombstone.object_key]);
    throw gone(DELETED_BEFORE_UPLOAD);
  }
  if (!row || row.user_id !== by.userId) throw notFound('no such screenshot declared by you');
  if (!wantsUpload(row.state)) return { status: 'stored' as const, id };
  const head = await ctx.blobs.head(row.object_key);
  if (!head) throw conflict('the object has not been uploaded (or its upload failed): PUT it first');
  if (head.size !== row.bytes) throw conflict(`the stored object has ${head.size} bytes, ${row.bytes} were declared`);
  if (head.md5Hex && head.md5Hex !== Buffer.from(row.md5, 'base64').toString('hex')) {
    throw conflict('the stored object does not match the declared MD5');
  }
  // Recorded and queued in one transaction, so a stored screenshot always gets its job. It runs
  // as the owner (pg-boss's tables are not the app role's); the row was checked above in the org.
  await ctx.db.system(async (tx) => {
    if (await markStored(tx, by.orgId, id, ctx.now())) await ctx.jobs.send(SCREENSHOT_JOB, { orgId: by.orgId, screenshotId: id }, tx);
  });
  ctx.jobs.wake(SCREENSHOT_JOB);
  ingestCounter.inc({ kind: 'screenshot.complete' });
  return { status: 'stored' as const, id };
}

async function visibleShot(ctx: ServiceContext, by: Principal, id: string): Promise<ScreenshotRow> {
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const row = await findScreenshot(tx, id);
    if (!row || !hasObject(row.state) || !(await canSee(tx, by, row.user_id))) throw notFound('no such screenshot');
    return row;
  });
}

export async function viewScreenshot(ctx: ServiceContext, by: Principal, id: string): Promise<ScreenshotView> {
  const row = await visibleShot(ctx, by, id);
  const urls = await signedViewUrls(ctx, by, row);
  await ctx.db.inOrg(by.orgId, (tx) => audit(tx, by, 'screenshot.view', 'screenshot', id, { userId: row.user_id }));
  return {
    id: row.id,
    userId: row.user_id,
    entryId: row.entry_id,
    takenAt: row.taken_at.toISOString(),
    displayId: row.display_id,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    contentType: row.content_type as ScreenshotView['contentType'],
    ...urls,
  };
}

/** REST delete: employees their own within the org's grace window; admins any, any time. */
export async function deleteScreenshot(ctx: ServiceContext, by: Principal, id: string): Promise<void> {
  const policy = await orgPolicy(ctx, by.orgId);
  const now = ctx.now();
  const keys = await ctx.db.inOrg(by.orgId, (tx) =>
    deleteScreenshotInTx(tx, by, { id, askedAt: now, now, graceSeconds: policy.screenshotDeleteGraceSeconds, via: 'rest' }),
  );
  if (keys.length) await ctx.blobs.delete(keys);
}

/** The row a declaration makes (single or batch): the server alone builds the object key. */
export function newScreenshotRow(by: Principal, req: CreateScreenshotRequest, takenAt: Date): NewScreenshot {
  const key = screenshotKey({ orgId: by.orgId, userId: by.userId, screenshotId: req.id, takenAt, contentType: req.contentType });
  return {
    id: req.id,
    org_id: by.orgId,
    user_id: by.userId,
    device_id: req.deviceId,
    entry_id: req.entryId,
    taken_at: takenAt,
    display_id: req.displayId,
    width: req.width,
    height: req.height,
    bytes: req.bytes,
    sha256: req.sha256,
    md5: req.md5,
    content_type: req.contentType,
    object_key: key,
  };
}
