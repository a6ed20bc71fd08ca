import type { Queryable } from './db';
import type { UserRow } from './users.repository';

/** Users of the org, by name; `ids` null means all of them. Never the password hash. */
export async function listUserRows(q: Queryable, orgId: string, ids: string[] | null): Promise<UserRow[]> {
  const r = await q.query<UserRow>(
    `SELECT id, org_id AS "orgId", email, name, role, time_zone AS "timeZone", NULL AS "passwordHash"
       FROM users WHERE org_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY name`,
    [orgId, ids],
  );
  return r.rows;
}

/** Cross-org (system transaction): emails are unique across orgs. */
export async function emailTaken(q: Queryable, email: string): Promise<boolean> {
  return ((await q.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email])).rowCount ?? 0) > 0;
}

export async function countOrgUsers(q: Queryable, orgId: string, ids: string[]): Promise<number> {
  return (await q.query(`SELECT id FROM users WHERE org_id = $1 AND id = ANY($2::uuid[])`, [orgId, ids])).rowCount ?? 0;
}

export async function insertProject(q: Queryable, p: { id: string; orgId: string; name: string }): Promise<void> {
  await q.query(`INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3)`, [p.id, p.orgId, p.name]);
}

export async function insertTask(q: Queryable, t: { id: string; orgId: string; projectId: string; name: string }): Promise<void> {
  await q.query(`INSERT INTO tasks (id, org_id, project_id, name) VALUES ($1, $2, $3, $4)`, [t.id, t.orgId, t.projectId, t.name]);
}

export async function listProjectRows(q: Queryable, orgId: string) {
  const projects = await q.query<{ id: string; name: string; archived: boolean }>(`SELECT id, name, archived FROM projects WHERE org_id = $1 ORDER BY name`, [orgId]);
  const tasks = await q.query<{ id: string; project_id: string; name: string; archived: boolean }>(
    `SELECT id, project_id, name, archived FROM tasks WHERE org_id = $1 ORDER BY name`,
    [orgId],
  );
  return { projects: projects.rows, tasks: tasks.rows };
}

export async function insertTeam(q: Queryable, t: { id: string; orgId: string; name: string; members: Array<{ userId: string; isManager: boolean }> }): Promise<void> {
  await q.query(`INSERT INTO teams (id, org_id, name) VALUES ($1, $2, $3)`, [t.id, t.orgId, t.name]);
  for (const m of t.members) {
    await q.query(`INSERT INTO team_members (org_id, team_id, user_id, is_manager) VALUES ($1, $2, $3, $4)`, [t.orgId, t.id, m.userId, m.isManager]);
  }
}

export async function projectExists(q: Queryable, orgId: string, projectId: string): Promise<boolean> {
  return ((await q.query(`SELECT 1 FROM projects WHERE id = $1 AND org_id = $2`, [projectId, orgId])).rowCount ?? 0) > 0;
}

export async function taskExists(q: Queryable, orgId: string, projectId: string, taskId: string): Promise<boolean> {
  return ((await q.query(`SELECT 1 FROM tasks WHERE id = $1 AND project_id = $2 AND org_id = $3`, [taskId, projectId, orgId])).rowCount ?? 0) > 0;
}
