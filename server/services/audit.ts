import type { Queryable } from '../store/db';

/** Records who viewed full-size images, exported, deleted, or changed policy. */
export async function audit(
  tx: Queryable,
  actor: { orgId: string; userId: string | null },
  action: string,
  targetType: string,
  targetId: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (org_id, actor_id, action, target_type, target_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [actor.orgId, actor.userId, action, targetType, targetId, JSON.stringify(detail)],
  );
}
