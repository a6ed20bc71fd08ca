import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { runCore } from './run-core';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { POLICY_FILE_LOCK_REASON } from '../../shared/managed-policy';

// The desktop app's core reads IT's policy file itself (main passes nothing of it) and never
// refuses to start over a bad one: the window is told instead.
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
let dir: ReturnType<typeof tempDir>;
const running = new Set<() => Promise<void>>();
beforeEach(() => (dir = tempDir()));
afterEach(async () => {
  for (const stop of [...running]) await stop();
  dir.remove();
});

async function core(policy: string) {
  writeFileSync(join(dir.path, 'policy.json'), policy);
  const { port2 } = new MessageChannel();
  const logs: string[] = [];
  const c = await runCore({
    channel: { post: (m) => port2.postMessage(m), onMessage: (l) => (port2.on('message', l), () => void port2.off('message', l)) },
    dataDir: join(dir.path, 'data'),
    capturer: { module: syntheticCapturerModule, options: {} },
    windows: { current: async () => null },
    env: {},
    policyPath: join(dir.path, 'policy.json'),
    projects: [{ id: PROJECT, name: 'Local', tasks: [] }],
    log: (l) => logs.push(l),
  });
  const stop = async () => {
    running.delete(stop);
    await c.stop();
    port2.close();
  };
  running.add(stop);
  return { api: c.tracker.api, logs, stop };
}

describe("the desktop app's core under a policy file", () => {
  it('applies a valid file; a bad one later runs on the last good copy and the window is told the field', async () => {
    const first = await core(JSON.stringify({ version: 1, capture: { screenshotsPerSlot: 3 }, locked: ['screenshotsPerSlot'] }));
    expect((await first.api['settings.get']({})).policy.screenshotsPerSlot).toBe(3);
    expect((await first.api['status.get']({})).policyError).toBeNull();
    await first.stop();

    const second = await core('{ "version": 1, "capture": { "screenshotsPerSlot": "three" } }');
    const status = await second.api['status.get']({});
    expect(status.policyError).toMatch(/not applied: capture\.screenshotsPerSlot: Invalid input: expected number, received string; using the last good copy of it$/);
    expect(second.logs).toContain(status.policyError);
    const settings = await second.api['settings.get']({});
    expect(settings.policy.screenshotsPerSlot).toBe(3);
    expect(settings.managed).toMatchObject({ active: true, usingLastGood: true, locks: [{ field: 'screenshotsPerSlot', reason: POLICY_FILE_LOCK_REASON }] });
  });

  it('a bad file with no earlier good copy: the core still starts, unmanaged, and says why', async () => {
    const c = await core('not json');
    const status = await c.api['status.get']({});
    expect(status.policyError).toMatch(/not applied: is not valid JSON: .*; running without it \(there is no earlier good copy\)$/);
    expect((await c.api['settings.get']({})).managed).toMatchObject({ active: false, locks: [], usingLastGood: false });
    expect((await c.api['timer.start']({ projectId: PROJECT })).running?.projectId).toBe(PROJECT);
  });
});
