import { existsSync } from 'node:fs';
import { join, win32 } from 'node:path';

/** Where macOS puts the settings an MDM profile (Jamf, Intune, Kandji) gives the app's bundle id, for every user. */
export const MAC_MANAGED_PREFERENCES = '/Library/Managed Preferences/app.stint.tracker.plist';

/**
 * Where IT puts the machine-wide policy on each OS; STINT_POLICY_FILE points elsewhere (tests, odd
 * installs). On macOS a configuration profile's managed preferences win over the JSON file.
 */
export function policyFilePath(
  platform: NodeJS.Platform,
  env: { STINT_POLICY_FILE?: string; ProgramData?: string; PROGRAMDATA?: string },
  exists: (path: string) => boolean = existsSync,
): string {
  if (env.STINT_POLICY_FILE) return env.STINT_POLICY_FILE;
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Stint', 'policy.json');
  if (platform === 'darwin') return exists(MAC_MANAGED_PREFERENCES) ? MAC_MANAGED_PREFERENCES : '/Library/Application Support/Stint/policy.json';
  return join('/etc', 'stint', 'policy.json');
}
