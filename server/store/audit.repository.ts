import type { Queryable } from './db';

export async function insertAuditEntry(
  tx: Queryable,
  e: { orgId: string; actorId: string | null; action: string; targetType: string; targetId: string | null; detail: Record<string, unknown> },
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (org_id, actor_id, action, target_type, target_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [e.orgId, e.actorId, e.action, e.targetType, e.targetId, JSON.stringify(e.detail)],
  );
}
