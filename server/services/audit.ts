import type { Queryable } from '../store/db';
import { insertAuditEntry } from '../store/audit.repository';

/** Records who viewed full-size images, exported, deleted, or changed policy. */
export async function audit(
  tx: Queryable,
  actor: { orgId: string; userId: string | null },
  action: string,
  targetType: string,
  targetId: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await insertAuditEntry(tx, { orgId: actor.orgId, actorId: actor.userId, action, targetType, targetId, detail });
}
