import { withinGraceWindow } from '../../src/shared/rules/grace-window';
import { forbidden, notFound } from '../errors/http-error';
import type { Tx } from '../store/db';
import { deleteScreenshotRows, findScreenshot, insertTombstone } from '../store/screenshots.repository';
import { canSee } from '../store/users.repository';
import { audit } from './audit';
import type { Principal } from '../auth/tokens';

export interface DeleteRequest {
  id: string;
  /** When the owner asked (the push op's deletedAt; the server's now for REST). */
  askedAt: Date;
  now: Date;
  graceSeconds: number;
  via: 'rest' | 'push';
}

/**
 * The one screenshot deletion use case (REST and push ops). In the caller's transaction: checks
 * who may delete, deletes the row, always leaves a tombstone (so a PUT handed out earlier, or a
 * re-declaration, never stores it later) and audits. Returns the object keys to delete once the
 * transaction has committed.
 */
export async function deleteScreenshotInTx(tx: Tx, by: Principal, req: DeleteRequest): Promise<string[]> {
  const row = await findScreenshot(tx, req.id, true);
  const admin = req.via === 'rest' && (by.role === 'owner' || by.role === 'admin');
  if (!row) {
    // Push: not declared yet, or its upload still in flight. REST cannot tell whose id it is.
    if (req.via === 'rest') throw notFound('no such screenshot');
    await insertTombstone(tx, { id: req.id, orgId: by.orgId, userId: by.userId, objectKey: null, deletedAt: req.askedAt });
    return [];
  }
  if (row.user_id !== by.userId) {
    if (req.via === 'push') throw forbidden('not your screenshot');
    if (row.state === 'pending' || !(await canSee(tx, by, row.user_id))) throw notFound('no such screenshot');
    if (!admin) throw forbidden('only admins delete other people\'s screenshots');
  }
  if (!admin) {
    const askedAt = Math.min(req.askedAt.getTime(), req.now.getTime());
    if (!withinGraceWindow(row.taken_at.getTime(), askedAt, req.graceSeconds)) {
      throw forbidden(`screenshots can be deleted only within ${req.graceSeconds} s of being taken`);
    }
  }
  // The row is locked, so the keys returned include a thumbnail the job recorded before now.
  const pointed = await deleteScreenshotRows(tx, { ids: [req.id] });
  await insertTombstone(tx, { id: req.id, orgId: row.org_id, userId: row.user_id, objectKey: row.object_key, deletedAt: req.askedAt });
  await audit(tx, by, 'screenshot.delete', 'screenshot', req.id, { userId: row.user_id, takenAt: row.taken_at, ...(req.via === 'push' ? { via: 'push' } : {}) });
  return pointed.keys;
}
