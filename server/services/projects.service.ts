import type { Project } from '../../src/shared/http/org';
import { listProjectRows } from '../store/directory.repository';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

export async function listProjects(ctx: ServiceContext, by: Principal): Promise<{ projects: Project[] }> {
  return ctx.db.inOrg(by.orgId, async (tx) => {
    const { projects, tasks } = await listProjectRows(tx, by.orgId);
    return {
      projects: projects.map((p) => ({
        ...p,
        tasks: tasks.filter((t) => t.project_id === p.id).map((t) => ({ id: t.id, projectId: t.project_id, name: t.name, archived: t.archived })),
      })),
    };
  });
}
