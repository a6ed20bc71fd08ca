import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTracker, type Tracker } from '../tracker';
import { createFakeClock } from '../test-support/fake-clock';
import { scriptedIdle } from '../test-support/scripted-idle';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { xdgLoginItem } from '../settings/xdg-autostart';
import { loadManagedPolicy } from './managed-policy-source';
import { POLICY_FILE_LOCK_REASON } from '../../shared/managed-policy';

// The tracker core under a policy file: the real XDG autostart entry (Linux start at login) in a temp dir.
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
let dir: ReturnType<typeof tempDir>;
let tracker: Tracker | undefined;
const entry = () => join(dir.path, 'autostart', 'stint.desktop');

async function open(policy: object) {
  writeFileSync(join(dir.path, 'policy.json'), JSON.stringify(policy));
  const managed = await loadManagedPolicy({ path: join(dir.path, 'policy.json'), dataDir: join(dir.path, 'data') });
  const clock = createFakeClock(Date.UTC(2026, 0, 5, 9));
  const idle = scriptedIdle(clock);
  tracker = await createTracker(
    { clock, capturer: { module: syntheticCapturerModule, options: {} }, idle, windows: idle, loginItem: xdgLoginItem(['/opt/Stint/stint', '--hidden'], entry()) },
    { dataDir: join(dir.path, 'data'), projects: [{ id: PROJECT, name: 'Local', tasks: [] }], policy: { screenshotsPerSlot: 1, reviewMinutes: 0 }, managed },
  );
  return tracker;
}

beforeEach(() => (dir = tempDir()));
afterEach(async () => {
  await tracker?.shutdown();
  tracker = undefined;
  dir.remove();
});

describe('the tracker under a policy file', () => {
  it('autoStart: true turns start at login on at every start and refuses to turn it off, with the reason', async () => {
    const t = await open({ version: 1, autoStart: true });
    expect(existsSync(entry())).toBe(true);
    const settings = await t.api['settings.get']({});
    expect(settings.autoStart).toEqual({ available: true, enabled: true, unavailableReason: null });
    expect(settings.managed?.locks).toEqual([{ field: 'autoStart', source: 'policy-file', reason: POLICY_FILE_LOCK_REASON }]);
    await expect(t.api['settings.update']({ autoStart: false })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: `Start at login stays on: ${POLICY_FILE_LOCK_REASON}`,
      issues: [{ path: 'autoStart', message: POLICY_FILE_LOCK_REASON }],
    });
    expect(existsSync(entry())).toBe(true);
    // Removed behind Stint's back: back at the next start.
    await t.shutdown();
    rmSync(entry());
    await open({ version: 1, autoStart: true });
    expect(existsSync(entry())).toBe(true);
  });

  it('without autoStart the employee decides', async () => {
    const t = await open({ version: 1 });
    expect(existsSync(entry())).toBe(false);
    expect((await t.api['settings.update']({ autoStart: true })).autoStart.enabled).toBe(true);
    expect((await t.api['settings.update']({ autoStart: false })).autoStart.enabled).toBe(false);
  });

  it("locked capture fields win over every org policy the tracker is given while running; unlocked ones follow the org", async () => {
    const t = await open({ version: 1, capture: { screenshotsPerSlot: 3, recordWindowTitles: true }, locked: ['screenshotsPerSlot'] });
    // The org policy given at start says nothing of window titles: the file's value holds until the org says.
    expect((await t.api['settings.get']({})).policy).toMatchObject({ screenshotsPerSlot: 3, recordWindowTitles: true });
    t.updateCatalog({ policy: { screenshotsPerSlot: 0, recordWindowTitles: false, idleThresholdSeconds: 900 } });
    expect((await t.api['settings.get']({})).policy).toMatchObject({ screenshotsPerSlot: 3, recordWindowTitles: false, idleThresholdSeconds: 900 });
  });
});
