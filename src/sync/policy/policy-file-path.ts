import { join, win32 } from 'node:path';

/** Where IT puts the machine-wide policy file on each OS; STINT_POLICY_FILE points elsewhere (tests, odd installs). */
export function policyFilePath(platform: NodeJS.Platform, env: { STINT_POLICY_FILE?: string; ProgramData?: string; PROGRAMDATA?: string }): string {
  if (env.STINT_POLICY_FILE) return env.STINT_POLICY_FILE;
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Stint', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Stint/policy.json';
  return join('/etc', 'stint', 'policy.json');
}
