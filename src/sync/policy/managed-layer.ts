import type { CapturePolicy } from '../../shared/policy';
import { POLICY_FILE_LOCK_REASON, type ManagedPolicy, type SettingLock } from '../../shared/managed-policy';

/**
 * The capture policy the tracker works with: the file's values first (the device's own until the
 * org policy arrives), then the org policy from the server, then the file's locked fields on top,
 * so managed > org > device where the file says so.
 */
export function layerCapturePolicy(org: Partial<CapturePolicy> | undefined, managed: ManagedPolicy | null): Partial<CapturePolicy> {
  const values = managed?.capture ?? {};
  const locked = Object.fromEntries((managed?.locked ?? []).flatMap((f) => (f !== 'serverUrl' && values[f] !== undefined ? [[f, values[f]]] : [])));
  return { ...values, ...org, ...locked };
}

/** The settings the file locks, each with the reason the UI shows next to it. */
export function managedLocks(managed: ManagedPolicy | null): SettingLock[] {
  if (!managed) return [];
  const lock = (field: SettingLock['field']): SettingLock => ({ field, source: 'policy-file', reason: POLICY_FILE_LOCK_REASON });
  return [...(managed.locked ?? []).map(lock), ...(managed.autoStart ? [lock('autoStart')] : [])];
}

/** The server the device must stay on, when the file locks it. */
export const lockedServerUrl = (managed: ManagedPolicy | null): string | null =>
  managed?.serverUrl !== undefined && managed.locked?.includes('serverUrl') ? managed.serverUrl : null;
