import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildShell } from './build-shell';
import { findElectronBinary } from './electron-binary';

/**
 * `npm start`'s tray app: where an Electron binary is present, build the shell and launch it
 * against the server (env carries STINT_SERVER_URL and the enrollment token); else null, and
 * start.ts runs the agent with its browser UI after saying why.
 */
export async function startElectronShell(root: string, env: NodeJS.ProcessEnv, dataDir: string, say: (line: string) => void): Promise<ChildProcess | null> {
  const found = findElectronBinary(root, env);
  if ('missing' in found) {
    say(`not starting the Electron tray app: ${found.missing}; running the agent with its browser window instead`);
    return null;
  }
  await buildShell(join(root, 'out'));
  say(`starting the Electron tray app (${found.path})`);
  return spawn(found.path, [join(root, 'out/main/main.cjs')], { env: { ...env, STINT_DATA_DIR: dataDir }, stdio: 'inherit', detached: true });
}
