import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/shared/http/auth';
import { defaultCapturePolicy } from '../../src/shared/policy';
import { hashPassword } from '../auth/passwords';
import { hashToken, newOpaqueToken } from '../auth/tokens';
import type { Db } from '../store/db';
import { insertUser } from '../store/users.repository';

export interface SeedUser {
  id: string;
  email: string;
  password: string;
  name: string;
  role: Role;
}

export interface OrgSeed {
  orgId: string;
  orgName: string;
  admin: SeedUser;
  manager: SeedUser;
  employee: SeedUser;
  /** In the manager's team too. */
  employee2: SeedUser;
  /** In no team the manager manages. */
  outsider: SeedUser;
  teamId: string;
  project: { id: string; name: string; taskId: string; taskName: string };
}

/**
 * A demo org: an admin, a manager who manages a team of two employees, an employee outside
 * that team, one project with one task. Emails are made unique with `slug`.
 */
export async function seedOrg(db: Db, opts: { name?: string; slug?: string; passwords?: Partial<Record<'admin' | 'manager' | 'employee', string>> } = {}): Promise<OrgSeed> {
  const slug = opts.slug ?? randomUUID().slice(0, 8);
  const orgId = randomUUID();
  const orgName = opts.name ?? `Demo ${slug}`;
  const mk = (role: Role, local: string, name: string, password: string): SeedUser => ({
    id: randomUUID(),
    email: `${local}@${slug}.stint.test`,
    password,
    name,
    role,
  });
  const secret = () => newOpaqueToken().slice(0, 20);
  const admin = mk('admin', 'admin', 'Ada Admin', opts.passwords?.admin ?? secret());
  const manager = mk('manager', 'manager', 'Max Manager', opts.passwords?.manager ?? secret());
  const employee = mk('employee', 'employee', 'Emma Employee', opts.passwords?.employee ?? secret());
  const employee2 = mk('employee', 'employee2', 'Eli Employee', secret());
  const outsider = mk('employee', 'outsider', 'Olga Outsider', secret());
  const teamId = randomUUID();
  const project = { id: randomUUID(), name: 'Website', taskId: randomUUID(), taskName: 'Design' };
  const users = [admin, manager, employee, employee2, outsider];
  const hashes = await Promise.all(users.map((u) => hashPassword(u.password)));
  await db.inOrg(orgId, async (tx) => {
    await tx.query(`INSERT INTO orgs (id, name, policy) VALUES ($1, $2, $3)`, [orgId, orgName, JSON.stringify(defaultCapturePolicy)]);
    for (const [i, u] of users.entries()) {
      await insertUser(tx, { ...u, orgId, timeZone: 'UTC', passwordHash: hashes[i] ?? null });
    }
    await tx.query(`INSERT INTO teams (id, org_id, name) VALUES ($1, $2, 'Team A')`, [teamId, orgId]);
    for (const [u, isManager] of [[manager, true], [employee, false], [employee2, false]] as const) {
      await tx.query(`INSERT INTO team_members (org_id, team_id, user_id, is_manager) VALUES ($1, $2, $3, $4)`, [orgId, teamId, u.id, isManager]);
    }
    await tx.query(`INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3)`, [project.id, orgId, project.name]);
    await tx.query(`INSERT INTO tasks (id, org_id, project_id, name) VALUES ($1, $2, $3, $4)`, [project.taskId, orgId, project.id, project.taskName]);
  });
  return { orgId, orgName, admin, manager, employee, employee2, outsider, teamId, project };
}

/** Mints an enrollment token for a user directly (what an admin does through the API). */
export async function mintEnrollmentToken(db: Db, orgId: string, userId: string, now: Date, hours = 72): Promise<string> {
  const token = newOpaqueToken();
  await db.inOrg(orgId, (tx) =>
    tx.query(`INSERT INTO enrollment_tokens (id, org_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      randomUUID(),
      orgId,
      userId,
      hashToken(token),
      new Date(now.getTime() + hours * 3_600_000),
    ]),
  );
  return token;
}

export interface DemoTeam {
  /** The third member of the manager's team (the seed has two). */
  employee3: SeedUser;
  /** The members whose week of history the demo makes. */
  members: SeedUser[];
}

/**
 * What the demo adds to a seeded org: a third employee in the manager's team and a few more
 * projects and tasks, so the generated week spreads over more than one project.
 */
export async function seedDemoTeam(db: Db, seed: Pick<OrgSeed, 'orgId' | 'teamId' | 'employee' | 'employee2'> & { project: Pick<OrgSeed['project'], 'id'> }): Promise<DemoTeam> {
  const domain = seed.employee.email.split('@')[1] ?? 'demo.stint.test';
  const employee3: SeedUser = { id: randomUUID(), email: `employee3@${domain}`, password: newOpaqueToken().slice(0, 20), name: 'Noor Employee', role: 'employee' };
  const passwordHash = await hashPassword(employee3.password);
  const projects = [
    { name: 'Mobile app', tasks: ['API', 'Testing'] },
    { name: 'Customer support', tasks: ['Tickets', 'Calls'] },
  ];
  await db.inOrg(seed.orgId, async (tx) => {
    await insertUser(tx, { ...employee3, orgId: seed.orgId, timeZone: 'UTC', passwordHash });
    await tx.query(`INSERT INTO team_members (org_id, team_id, user_id, is_manager) VALUES ($1, $2, $3, false)`, [seed.orgId, seed.teamId, employee3.id]);
    await tx.query(`INSERT INTO tasks (id, org_id, project_id, name) VALUES ($1, $2, $3, 'Frontend')`, [randomUUID(), seed.orgId, seed.project.id]);
    for (const p of projects) {
      const id = randomUUID();
      await tx.query(`INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3)`, [id, seed.orgId, p.name]);
      for (const t of p.tasks) await tx.query(`INSERT INTO tasks (id, org_id, project_id, name) VALUES ($1, $2, $3, $4)`, [randomUUID(), seed.orgId, id, t]);
    }
  });
  return { employee3, members: [seed.employee, seed.employee2, employee3] };
}
