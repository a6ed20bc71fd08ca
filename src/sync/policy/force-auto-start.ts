import type { ManagedPolicy } from '../../shared/managed-policy';
import type { LoginItem } from '../settings/login-item';

/**
 * `autoStart: true` in IT's policy file: start at login is turned on at every start (an employee
 * or a cleanup tool may have removed the entry) and the switch refuses to turn it off. A host
 * without login items says why in the log; a failure never stops the tracker.
 */
export async function forceAutoStart(managed: ManagedPolicy | null, item: LoginItem, log: (line: string) => void): Promise<void> {
  if (!managed?.autoStart) return;
  if (item.unavailableReason !== null) return log(`the policy file forces start at login, but this host has none: ${item.unavailableReason}`);
  try {
    if (await item.isEnabled()) return;
    await item.setEnabled(true);
    log('start at login turned on: the policy file forces it');
  } catch (err) {
    log(`the policy file forces start at login, but it could not be turned on: ${(err as Error).message}`);
  }
}
