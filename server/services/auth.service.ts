import { randomUUID } from 'node:crypto';
import type { TokenResponse } from '../../src/shared/http/auth';
import { unauthorized } from '../errors/http-error';
import { findUser, findUserByEmail, toSummary, type UserRow } from '../store/users.repository';
import type { ServiceContext } from './context';
import type { Queryable } from '../store/db';
import { insertRefreshToken, lockRefreshToken, markRefreshUsed, revokeFamily, revokeFamilyOf } from '../store/refresh-tokens.repository';
import { dummyHash, verifyPassword } from '../auth/passwords';
import { hashToken, newOpaqueToken } from '../auth/tokens';

const REFRESH_TTL_DAYS = 30;

/** A new refresh token of `familyId`, inserted through `q` (the caller's transaction). */
async function issueRefresh(ctx: ServiceContext, q: Queryable, user: { orgId: string; id: string }, familyId: string): Promise<string> {
  const token = newOpaqueToken();
  const expiresAt = new Date(ctx.now().getTime() + REFRESH_TTL_DAYS * 86_400_000);
  await insertRefreshToken(q, { id: randomUUID(), orgId: user.orgId, userId: user.id, familyId, tokenHash: hashToken(token), expiresAt });
  return token;
}

async function tokenResponse(ctx: ServiceContext, user: UserRow, sessionId: string, refreshToken: string): Promise<TokenResponse> {
  const accessToken = await ctx.tokens.issue({ userId: user.id, orgId: user.orgId, role: user.role, deviceId: null, sessionId });
  return { accessToken, expiresIn: ctx.tokens.expiresIn, ...(refreshToken ? { refreshToken } : {}), user: toSummary(user) };
}

export async function login(ctx: ServiceContext, email: string, password: string): Promise<TokenResponse> {
  const user = await ctx.db.system((tx) => findUserByEmail(tx, email));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !ok) throw unauthorized('wrong email or password');
  const sessionId = randomUUID();
  const token = await ctx.db.inOrg(user.orgId, (tx) => issueRefresh(ctx, tx, user, sessionId));
  return tokenResponse(ctx, user, sessionId, token);
}

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family is
 * issued. Presenting a spent token means it was stolen or replayed: the whole family is revoked.
 */
export async function refresh(ctx: ServiceContext, refreshToken: string): Promise<TokenResponse> {
  const now = ctx.now();
  // Spending the old token and issuing its successor is one transaction under the old row's
  // lock: a concurrent reuse waits for it, then revokes the family including the successor.
  const outcome = await ctx.db.system(async (tx) => {
    const row = await lockRefreshToken(tx, hashToken(refreshToken));
    if (!row) return { error: 'unknown refresh token' } as const;
    if (row.revoked_at) return { error: 'refresh token revoked' } as const;
    if (row.used_at) {
      await revokeFamily(tx, row.family_id, now);
      return { error: 'refresh token reused: its family is revoked', revokedFamily: row.family_id } as const;
    }
    if (row.expires_at < now) return { error: 'refresh token expired' } as const;
    const user = await findUser(tx, row.user_id);
    if (!user) return { error: 'user no longer exists' } as const;
    await markRefreshUsed(tx, row.id, now);
    return { user, familyId: row.family_id, token: await issueRefresh(ctx, tx, user, row.family_id) } as const;
  });
  if ('error' in outcome) {
    if ('revokedFamily' in outcome && outcome.revokedFamily) ctx.revocations.sessionRevoked(outcome.revokedFamily);
    throw unauthorized(outcome.error);
  }
  return tokenResponse(ctx, outcome.user, outcome.familyId, outcome.token);
}

export async function logout(ctx: ServiceContext, refreshToken: string): Promise<void> {
  const familyId = await ctx.db.system((tx) => revokeFamilyOf(tx, hashToken(refreshToken), ctx.now()));
  if (familyId) ctx.revocations.sessionRevoked(familyId);
}
