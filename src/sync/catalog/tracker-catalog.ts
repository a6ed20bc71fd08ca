import { capturePolicySchema, type CapturePolicy } from '../../shared/policy';
import type { Project } from '../tracker-types';

/**
 * What the tracker currently works with: the projects it may track, the capture policy and the
 * server it syncs to. A sign-in, a sign-out or a policy pulled from the server replaces them
 * while the tracker runs; a bad policy is refused with zod's reason and the last good one kept.
 */
export function createTrackerCatalog(initial: { projects: Project[]; policy?: Partial<CapturePolicy>; serverUrl?: string | null }) {
  let projects = initial.projects;
  // Parsed once per change: no capture, tick or status call pays for zod again.
  let policy = capturePolicySchema.parse({ ...initial.policy });
  let serverUrl = initial.serverUrl ?? null;
  return {
    projects: () => projects,
    policy: (): CapturePolicy => policy,
    serverUrl: () => serverUrl,
    findProject: (id: string | null) => projects.find((p) => p.id === id),
    update(next: { projects?: Project[]; policy?: Partial<CapturePolicy>; serverUrl?: string | null }): void {
      const parsed = next.policy === undefined ? policy : capturePolicySchema.parse({ ...next.policy });
      policy = parsed;
      if (next.projects) projects = next.projects;
      if (next.serverUrl !== undefined) serverUrl = next.serverUrl;
    },
  };
}
export type TrackerCatalog = ReturnType<typeof createTrackerCatalog>;
