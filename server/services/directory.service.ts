import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UserSummary } from '../../src/shared/http/auth';
import type { createTeamRequestSchema, createUserRequestSchema, Project, Task } from '../../src/shared/http/org';
import { ianaZone } from '../../src/shared/time';
import { badRequest, conflict, forbidden, notFound } from '../errors/http-error';
import { countOrgUsers, emailTaken, insertProject, insertTask, insertTeam, listUserRows, projectExists } from '../store/directory.repository';
import { insertUser, toSummary, visibleUserIds } from '../store/users.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/tokens';

const isAdmin = (p: Principal) => p.role === 'owner' || p.role === 'admin';

export async function listUsers(ctx: ServiceContext, by: Principal): Promise<{ users: UserSummary[] }> {
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const visible = await visibleUserIds(tx, by);
    return { users: (await listUserRows(tx, by.orgId, visible === 'all' ? null : visible)).map(toSummary) };
  });
}

export async function createUser(ctx: ServiceContext, by: Principal, req: z.infer<typeof createUserRequestSchema>): Promise<UserSummary> {
  if (!isAdmin(by)) throw forbidden('only admins create users');
  if (!ianaZone.safeParse(req.timeZone).success) throw badRequest('timeZone must be an IANA time zone name');
  const passwordHash = req.password ? await hashPassword(req.password) : null;
  const id = randomUUID();
  const taken = await ctx.db.system((tx) => emailTaken(tx, req.email));
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
  await ctx.db.inOrg(by.orgId, (tx) => insertProject(tx, { id, orgId: by.orgId, name }));
  return { id, name, archived: false, tasks: [] };
}

export async function createTask(ctx: ServiceContext, by: Principal, projectId: string, name: string): Promise<Task> {
  if (!isAdmin(by) && by.role !== 'manager') throw forbidden('only admins and managers create tasks');
  const id = randomUUID();
  await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await projectExists(tx, by.orgId, projectId))) throw notFound('no such project');
    await insertTask(tx, { id, orgId: by.orgId, projectId, name });
  });
  return { id, projectId, name, archived: false };
}

export async function createTeam(ctx: ServiceContext, by: Principal, req: z.infer<typeof createTeamRequestSchema>) {
  if (!isAdmin(by)) throw forbidden('only admins create teams');
  const id = randomUUID();
  const everyone = [...new Set([...req.managerIds, ...req.memberIds])];
  await ctx.db.inOrg(by.orgId, async (tx) => {
    if ((await countOrgUsers(tx, by.orgId, everyone)) !== everyone.length) throw notFound('some of these users are not in your org');
    await insertTeam(tx, { id, orgId: by.orgId, name: req.name, members: everyone.map((u) => ({ userId: u, isManager: req.managerIds.includes(u) })) });
    await audit(tx, by, 'team.create', 'team', id, { managers: req.managerIds.length, members: req.memberIds.length });
  });
  return { id, name: req.name, managerIds: req.managerIds, memberIds: req.memberIds };
}
