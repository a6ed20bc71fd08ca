import type { Project } from '../../src/shared/http/org';
import type { ServiceContext } from './context';
import type { Principal } from './tokens';

export async function listProjects(ctx: ServiceContext, by: Principal): Promise<{ projects: Project[] }> {
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const projects = await tx.query<{ id: string; name: string; archived: boolean }>(
      `SELECT id, name, archived FROM projects WHERE org_id = $1 ORDER BY name`,
      [by.orgId],
    );
    const tasks = await tx.query<{ id: string; project_id: string; name: string; archived: boolean }>(
      `SELECT id, project_id, name, archived FROM tasks WHERE org_id = $1 ORDER BY name`,
      [by.orgId],
    );
    return {
      projects: projects.rows.map((p) => ({
        ...p,
        tasks: tasks.rows.filter((t) => t.project_id === p.id).map((t) => ({ id: t.id, projectId: t.project_id, name: t.name, archived: t.archived })),
      })),
    };
  });
}
