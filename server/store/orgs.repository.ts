import type { CapturePolicy } from '../../src/shared/policy';
import type { Queryable } from './db';

export interface OrgRow {
  id: string;
  name: string;
  retention_days: number | null;
  policy: Partial<CapturePolicy>;
}

export async function findOrg(q: Queryable, orgId: string): Promise<OrgRow | null> {
  return (await q.query<OrgRow>(`SELECT * FROM orgs WHERE id = $1`, [orgId])).rows[0] ?? null;
}

/** The stored policy, locked until the transaction ends (a read-modify-write of the policy). */
export async function lockOrgPolicy(q: Queryable, orgId: string): Promise<Partial<CapturePolicy> | null> {
  return (await q.query<{ policy: Partial<CapturePolicy> }>(`SELECT policy FROM orgs WHERE id = $1 FOR UPDATE`, [orgId])).rows[0]?.policy ?? null;
}

export async function saveOrgPolicy(q: Queryable, orgId: string, policy: CapturePolicy): Promise<void> {
  await q.query(`UPDATE orgs SET policy = $2 WHERE id = $1`, [orgId, JSON.stringify(policy)]);
}

export async function saveRetention(q: Queryable, orgId: string, retentionDays: number | null): Promise<void> {
  await q.query(`UPDATE orgs SET retention_days = $2 WHERE id = $1`, [orgId, retentionDays]);
}
