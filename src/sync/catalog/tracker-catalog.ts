import { capturePolicySchema, type CapturePolicy } from '../../shared/policy';
import type { ManagedPolicyView } from '../../shared/managed-policy';
import type { ManagedPolicyState } from '../policy/managed-policy-source';
import { layerCapturePolicy, managedLocks } from '../policy/managed-layer';
import type { Project } from '../tracker-types';

/**
 * What the tracker currently works with: the projects it may track, the capture policy and the
 * server it syncs to. A sign-in, a sign-out or a policy pulled from the server replaces them
 * while the tracker runs; a bad policy is refused with zod's reason and the last good one kept.
 * IT's policy file (when there is one) is layered on every change: its locked fields always win.
 */
export function createTrackerCatalog(initial: { projects: Project[]; policy?: Partial<CapturePolicy>; serverUrl?: string | null; managed?: ManagedPolicyState | null }) {
  const managed = initial.managed ?? null;
  let projects = initial.projects;
  const layered = (org: Partial<CapturePolicy> | undefined) => capturePolicySchema.parse(layerCapturePolicy(org, managed?.policy ?? null));
  // Parsed once per change: no capture, tick or status call pays for zod again.
  let policy = layered(initial.policy);
  let serverUrl = initial.serverUrl ?? null;
  const view: ManagedPolicyView | null = managed?.present
    ? {
        path: managed.path,
        active: managed.policy !== null,
        locks: managedLocks(managed.policy),
        serverUrl: managed.policy?.serverUrl ?? null,
        updateChannel: managed.policy?.updateChannel ?? null,
        error: managed.error,
        usingLastGood: managed.usingLastGood,
      }
    : null;
  return {
    projects: () => projects,
    policy: (): CapturePolicy => policy,
    serverUrl: () => serverUrl,
    /** What the UI shows of the policy file (locks, reasons, the error). */
    managed: () => view,
    policyError: () => managed?.error ?? null,
    findProject: (id: string | null) => projects.find((p) => p.id === id),
    update(next: { projects?: Project[]; policy?: Partial<CapturePolicy>; serverUrl?: string | null }): void {
      const parsed = next.policy === undefined ? policy : layered(next.policy);
      policy = parsed;
      if (next.projects) projects = next.projects;
      if (next.serverUrl !== undefined) serverUrl = next.serverUrl;
    },
  };
}
export type TrackerCatalog = ReturnType<typeof createTrackerCatalog>;
