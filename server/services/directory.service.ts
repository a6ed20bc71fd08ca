import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UserSummary } from '../../src/shared/http/auth';
import type { createTeamRequestSchema, createUserRequestSchema, Project, Task } from '../../src/shared/http/org';
import { ianaZone } from '../../src/shared/time';
import { badRequest, conflict, forbidden, notFound } from '../http/http-error';
import { insertUser, toSummary, visibleUserIds, type UserRow } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import { hashPassword } from './passwords';
import type { Principal } from './tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

export async function listUsers(ctx: ServiceContext, by: Principal): Promise<{ users: UserSummary[] }> {
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const visible = await visibleUserIds(tx, by);
    const r = await tx.query<UserRow>(
      `SELECT id, org_id AS "orgId", email, name, role, time_zone AS "timeZone", NULL AS "passwordHash"
         FROM users WHERE org_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY name`,
      [by.orgId, visible === 'all' ? null : visible],
    );
    return { users: r.rows.map(toSummary) };
  });
}

export async function createUser(ctx: ServiceContext, by: Principal, req: z.infer<typeof createUserRequestSchema>): Promise<UserSummary> {
  if (!isAdmin(by)) throw forbidden('only admins create users');
  if (!ianaZone.safeParse(req.timeZone).success) throw badRequest('timeZone must be an IANA time zone name');
  const passwordHash = req.password ? await hashPassword(req.password) : null;
  const id = randomUUID();
  const taken = await ctx.db.system(async (tx) => (await tx.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [req.email])).rowCount);
  if (taken) throw conflict('a user with this email exists');
  await ctx.db
    .inOrg(by.orgId, async (tx) => {
      await insertUser(tx, { id, orgId: by.orgId, email: req.email, name: req.name, role: req.role, timeZone: req.timeZone, passwordHash });
      await audit(tx, by, 'user.create', 'user', id, { role: req.role });
    })
    .catch((err: unknown) => {
      // the same email created concurrently (users_email is unique across orgs)
      if ((err as { code?: string }).code === '23505') throw conflict('a user with this email exists');
      throw err;
    });
  return { id, orgId: by.orgId, email: req.email, name: req.name, role: req.role, timeZone: req.timeZone };
}

export async function createProject(ctx: ServiceContext, by: Principal, name: string): Promise<Project> {
  if (!isAdmin(by) && by.role !== 'manager') throw forbidden('only admins and managers create projects');
  const id = randomUUID();
  await ctx.db.inOrg(by.orgId, (tx) => tx.query(`INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3)`, [id, by.orgId, name]));
  return { id, name, archived: false, tasks: [] };
}

export async function createTask(ctx: ServiceContext, by: Principal, projectId: string, name: string): Promise<Task> {
  if (!isAdmin(by) && by.role !== 'manager') throw forbidden('only admins and managers create tasks');
  const id = randomUUID();
  await ctx.db.inOrg(by.orgId, async (tx) => {
    const p = await tx.query(`SELECT 1 FROM projects WHERE id = $1 AND org_id = $2`, [projectId, by.orgId]);
    if (p.rowCount === 0) throw notFound('no such project');
    await tx.query(`INSERT INTO tasks (id, org_id, project_id, name) VALUES ($1, $2, $3, $4)`, [id, by.orgId, projectId, name]);
  });
  return { id, projectId, name, archived: false };
}

export async function createTeam(ctx: ServiceContext, by: Principal, req: z.infer<typeof createTeamRequestSchema>) {
  if (!isAdmin(by)) throw forbidden('only admins create teams');
  const id = randomUUID();
  const everyone = [...new Set([...req.managerIds, ...req.memberIds])];
  await ctx.db.inOrg(by.orgId, async (tx) => {
    const found = await tx.query(`SELECT id FROM users WHERE org_id = $1 AND id = ANY($2::uuid[])`, [by.orgId, everyone]);
    if (found.rowCount !== everyone.length) throw notFound('some of these users are not in your org');
    await tx.query(`INSERT INTO teams (id, org_id, name) VALUES ($1, $2, $3)`, [id, by.orgId, req.name]);
    for (const u of everyone) {
      await tx.query(`INSERT INTO team_members (org_id, team_id, user_id, is_manager) VALUES ($1, $2, $3, $4)`, [by.orgId, id, u, req.managerIds.includes(u)]);
    }
    await audit(tx, by, 'team.create', 'team', id, { managers: req.managerIds.length, members: req.memberIds.length });
  });
  return { id, name: req.name, managerIds: req.managerIds, memberIds: req.memberIds };
}
