/**
 * Entry of the tracker core process that the Electron shell starts as a utilityProcess (plain
 * Node: better-sqlite3, sharp and the capture worker load here, never in main). Main sends the
 * MessagePort; STINT_DATA_DIR says where the outbox lives.
 */
import { join } from 'node:path';
import { homedir } from 'node:os';
import { channelFromParent } from '../port-bridge/process-channel';
import { defaultCapturerModule } from '../capture/capture-worker-client';
import { startX11Probe } from '../activity/x11-probe';
import type { ActiveWindow } from '../activity/ports';
import { LOCAL_PROJECT } from '../agent/agent-options';
import { runCore } from './run-core';
import { policyFilePath } from '../policy/policy-file-path';
import { receiveVaultSeed } from '../port-bridge/port-vault';

const log = (line: string) => console.log(`${new Date().toISOString()} core: ${line}`);
const dataDir = process.env.STINT_DATA_DIR ?? join(homedir(), '.stint');
const display = process.env.DISPLAY;
// The app in front comes from X11 where there is one; elsewhere the activity sampler records none.
const noWindow: ActiveWindow = { current: async () => null };
let windows: ActiveWindow = noWindow;
if (process.platform === 'linux' && display) {
  const probe = startX11Probe({ display });
  windows = await probe.ready.then(
    () => probe,
    (err: Error) => {
      log(`no active-window probe on ${display}: ${err.message}`);
      return noWindow;
    },
  );
}
const channel = await channelFromParent();
// STINT_VAULT=shell: main keeps the credentials (safeStorage) and seeds them first; else a 0600 file per server.
const vault = process.env.STINT_VAULT === 'shell' ? { vault: await receiveVaultSeed(channel) } : {};
const core = await runCore({
  channel,
  dataDir,
  capturer: { module: defaultCapturerModule, options: display ? { display } : {} },
  windows,
  env: process.env,
  policyPath: policyFilePath(process.platform, process.env),
  projects: [LOCAL_PROJECT],
  log,
  ...vault,
  // Let the 'stopped' message leave before the process ends.
  onStopped: (clean) => setTimeout(() => process.exit(clean ? 0 : 1), 50),
});
process.on('SIGTERM', () => void core.stop().then((clean) => process.exit(clean ? 0 : 1)));
