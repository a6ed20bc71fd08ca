import type { Role, UserSummary } from '../../src/shared/http/auth';
import type { Queryable } from './db';

export interface UserRow extends UserSummary {
  passwordHash: string | null;
}

const COLUMNS = `id, org_id AS "orgId", email, name, role, time_zone AS "timeZone", password_hash AS "passwordHash"`;

export function toSummary(u: UserRow): UserSummary {
  return { id: u.id, orgId: u.orgId, email: u.email, name: u.name, role: u.role, timeZone: u.timeZone };
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | null> {
  const r = await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
  return r.rows[0] ?? null;
}

export async function findUser(q: Queryable, id: string): Promise<UserRow | null> {
  const r = await q.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}

export async function insertUser(
  q: Queryable,
  u: { id: string; orgId: string; email: string; name: string; role: Role; timeZone: string; passwordHash: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO users (id, org_id, email, name, role, time_zone, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [u.id, u.orgId, u.email, u.name, u.role, u.timeZone, u.passwordHash],
  );
}

/**
 * Users the viewer may see: everyone in the org for owners and admins, the members of the
 * teams they manage (and themselves) for managers, only themselves for employees.
 */
export async function visibleUserIds(q: Queryable, viewer: { userId: string; role: Role }): Promise<string[] | 'all'> {
  if (viewer.role === 'owner' || viewer.role === 'admin') return 'all';
  if (viewer.role === 'employee') return [viewer.userId];
  const r = await q.query<{ user_id: string }>(
    `SELECT DISTINCT m.user_id FROM team_members m
       JOIN team_members me ON me.team_id = m.team_id AND me.user_id = $1 AND me.is_manager`,
    [viewer.userId],
  );
  return [...new Set([viewer.userId, ...r.rows.map((x) => x.user_id)])];
}

export async function canSee(q: Queryable, viewer: { userId: string; role: Role }, userId: string): Promise<boolean> {
  const visible = await visibleUserIds(q, viewer);
  return visible === 'all' || visible.includes(userId);
}
