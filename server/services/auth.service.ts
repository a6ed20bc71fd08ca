import { randomUUID } from 'node:crypto';
import type { TokenResponse } from '../../src/shared/http/auth';
import { unauthorized } from '../http/http-error';
import { findUser, findUserByEmail, toSummary, type UserRow } from '../store/users.repository';
import type { ServiceContext } from './context';
import { dummyHash, verifyPassword } from './passwords';
import { hashToken, newOpaqueToken } from './tokens';

const REFRESH_TTL_DAYS = 30;

async function issueRefresh(ctx: ServiceContext, user: UserRow, familyId: string): Promise<string> {
  const token = newOpaqueToken();
  const expires = new Date(ctx.now().getTime() + REFRESH_TTL_DAYS * 86_400_000);
  await ctx.db.inOrg(user.orgId, (tx) =>
    tx.query(
      `INSERT INTO refresh_tokens (id, org_id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), user.orgId, user.id, familyId, hashToken(token), expires],
    ),
  );
  return token;
}

async function tokenResponse(ctx: ServiceContext, user: UserRow, refreshToken?: string): Promise<TokenResponse> {
  const accessToken = await ctx.tokens.issue({ userId: user.id, orgId: user.orgId, role: user.role, deviceId: null });
  return { accessToken, expiresIn: ctx.tokens.expiresIn, ...(refreshToken ? { refreshToken } : {}), user: toSummary(user) };
}

export async function login(ctx: ServiceContext, email: string, password: string): Promise<TokenResponse> {
  const user = await ctx.db.system((tx) => findUserByEmail(tx, email));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !ok) throw unauthorized('wrong email or password');
  return tokenResponse(ctx, user, await issueRefresh(ctx, user, randomUUID()));
}

interface RefreshRow {
  id: string;
  org_id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family is
 * issued. Presenting a spent token means it was stolen or replayed: the whole family is revoked.
 */
export async function refresh(ctx: ServiceContext, refreshToken: string): Promise<TokenResponse> {
  const now = ctx.now();
  const outcome = await ctx.db.system(async (tx) => {
    const r = await tx.query<RefreshRow>(`SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [hashToken(refreshToken)]);
    const row = r.rows[0];
    if (!row) return { error: 'unknown refresh token' } as const;
    if (row.revoked_at) return { error: 'refresh token revoked' } as const;
    if (row.used_at) {
      await tx.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [row.family_id, now]);
      return { error: 'refresh token reused: its family is revoked', commit: true } as const;
    }
    if (row.expires_at < now) return { error: 'refresh token expired' } as const;
    await tx.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [row.id, now]);
    return { row } as const;
  });
  if ('error' in outcome) throw unauthorized(outcome.error);
  const user = await ctx.db.inOrg(outcome.row.org_id, (tx) => findUser(tx, outcome.row.user_id));
  if (!user) throw unauthorized('user no longer exists');
  return tokenResponse(ctx, user, await issueRefresh(ctx, user, outcome.row.family_id));
}

export async function logout(ctx: ServiceContext, refreshToken: string): Promise<void> {
  await ctx.db.system((tx) =>
    tx.query(
      `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL`,
      [hashToken(refreshToken), ctx.now()],
    ),
  );
}
