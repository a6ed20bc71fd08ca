import type { Queryable } from './db';

export interface RefreshRow {
  id: string;
  org_id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertRefreshToken(
  q: Queryable,
  t: { id: string; orgId: string; userId: string; familyId: string; tokenHash: Buffer; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO refresh_tokens (id, org_id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [t.id, t.orgId, t.userId, t.familyId, t.tokenHash, t.expiresAt],
  );
}

/** The token's row, locked until the transaction ends (so concurrent uses of one token queue up). */
export async function lockRefreshToken(q: Queryable, tokenHash: Buffer): Promise<RefreshRow | null> {
  const r = await q.query<RefreshRow>(`SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [tokenHash]);
  return r.rows[0] ?? null;
}

export async function markRefreshUsed(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
}

export async function revokeFamily(q: Queryable, familyId: string, at: Date): Promise<void> {
  await q.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, at]);
}

/** Revokes the family of the token with this hash; its id, or null for an unknown token. */
export async function revokeFamilyOf(q: Queryable, tokenHash: Buffer, at: Date): Promise<string | null> {
  const r = await q.query<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, [tokenHash]);
  const familyId = r.rows[0]?.family_id ?? null;
  if (familyId) await revokeFamily(q, familyId, at);
  return familyId;
}

/** Cross-org, on the family index: a family is revoked when any of its tokens is (revocation covers them all). */
export async function isFamilyRevoked(q: Queryable, familyId: string): Promise<boolean> {
  const r = await q.query<{ revoked: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NOT NULL) AS revoked`,
    [familyId],
  );
  return r.rows[0]?.revoked ?? false;
}
