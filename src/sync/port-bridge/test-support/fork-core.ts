// A child_process.fork stand-in for the Electron utilityProcess: the real runCore over the fork's
// IPC channel, with the synthetic capturer; STINT_LOGIN_ITEM=shell makes it ask the test for its login item. `{ test: 'capture' }` asks for a capture now.
import { join } from 'node:path';
import { forkChannel } from '../process-channel';
import { runCore } from '../../core-process/run-core';
import { syntheticCapturerModule } from '../../test-support/synthetic.capturer';

const dataDir = process.env.STINT_DATA_DIR!;
const core = await runCore({
  channel: forkChannel(),
  dataDir,
  capturer: { module: syntheticCapturerModule, options: { displays: 1, failFile: join(dataDir, 'fail-capture') } },
  windows: { current: async () => ({ app: 'editor', title: null }) },
  env: { STINT_LOGIN_ITEM: process.env.STINT_LOGIN_ITEM },
  projects: [{ id: '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f', name: 'Local', tasks: [] }],
  log: () => undefined,
});
process.on('message', (m: { test?: string }) => {
  if (m?.test === 'capture') void core.tracker.captureNow();
});
process.on('disconnect', () => void core.stop().then(() => process.exit(0)));
