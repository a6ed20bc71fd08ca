import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { DeviceReport } from '../src/shared/http/fleet';
import { startStack, type Stack } from './stack-fixture';
import { storyHooks } from './story-hooks';

// IT's side of the window on the real product: an agent signed in as the org's admin under a
// policy file that locks settings, and devices that reported to the real server.
const sizes = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const SCREENS = 'test-results/screens';
const policyDir = mkdtempSync(join(tmpdir(), 'stint-e2e-policy-'));
const policyFile = join(policyDir, 'policy.json');

const test = base.extend<object, { stack: Stack }>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture list from this destructuring
    async ({}, use) => {
      const stack = await startStack({
        agentEnv: (server) => {
          writeFileSync(
            policyFile,
            JSON.stringify({
              version: 1,
              serverUrl: server.url,
              capture: { screenshotsPerSlot: 2, blurScreenshots: true, reviewMinutes: 10 },
              locked: ['serverUrl', 'screenshotsPerSlot', 'blurScreenshots', 'reviewMinutes'],
              autoStart: true,
              updateChannel: 'stable',
            }),
          );
          // Start at login through the real XDG entry, kept in this spec's own folder.
          return { STINT_POLICY_FILE: policyFile, STINT_EMAIL: server.seed.admin.email, STINT_PASSWORD: server.seed.admin.password, STINT_AUTOSTART_EXEC: '/opt/Stint/stint', XDG_CONFIG_HOME: policyDir };
        },
      });
      await use(stack);
      await stack.close();
      rmSync(policyDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});
test.describe.configure({ mode: 'serial' });

storyHooks(test);

async function axeClean(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** A device of the org that enrolled and pushed its report, as a real one does. */
async function reportingDevice(stack: Stack, userId: string, name: string, device: DeviceReport) {
  const token = await stack.server.enrollmentToken(userId);
  const deviceId = uuidv7();
  const enroll = await fetch(`${stack.server.url}/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken: token, deviceId, name, platform: name.includes('mac') ? 'darwin' : 'win32' }),
  });
  const { deviceToken } = (await enroll.json()) as { deviceToken: string };
  const auth = await fetch(`${stack.server.url}/v1/auth/device`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, deviceToken }) });
  const { accessToken } = (await auth.json()) as { accessToken: string };
  const sentAt = new Date().toISOString();
  const push = await fetch(`${stack.server.url}/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ deviceId, sentAt, ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: uuidv7(), deletedAt: sentAt }], device }),
  });
  expect(push.status).toBe(200);
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

test('the Devices page lists the fleet for an admin: what waits where, refused records, policy file problems', async ({ page, stack }) => {
  const seed = stack.server.seed;
  await reportingDevice(stack, seed.employee.id, 'emma-laptop (win)', { appVersion: '0.9.3', queue: { screenshots: 14, ops: 212, deadLetters: 0, oldestUnsyncedAt: hoursAgo(52) }, policyError: null });
  await reportingDevice(stack, seed.manager.id, 'max-macbook', { appVersion: '0.9.3', queue: { screenshots: 0, ops: 0, deadLetters: 2, oldestUnsyncedAt: null }, policyError: null });
  await reportingDevice(stack, seed.employee.id, 'emma-desk (win)', {
    appVersion: '0.9.1',
    queue: { screenshots: 3, ops: 9, deadLetters: 0, oldestUnsyncedAt: hoursAgo(5) },
    policyError: 'policy file C:\\ProgramData\\Stint\\policy.json not applied: capture.screenshotsPerSlot: Too big: expected number to be <=3; using the last good copy of it',
  });
  // The admin's own agent is listed once its first push registered it.
  await expect.poll(async () => (await stack.api<{ devices: unknown[] }>('admin', 'GET', '/v1/fleet')).devices.length, { timeout: 30_000 }).toBe(4);
  await page.goto(stack.agent.windowUrl);
  await page.getByRole('tab', { name: 'Devices' }).click();
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  const table = page.getByRole('grid', { name: 'Devices' });
  await expect(table.getByRole('row')).toHaveCount(5); // header + the admin's own agent + 3
  await expect(table.getByRole('row', { name: /emma-laptop/ })).toContainText('oldest 2 days old');
  await expect(table.getByRole('row', { name: /emma-desk/ })).toContainText('capture.screenshotsPerSlot');
  // emma's two devices, and the admin's own agent too once a screenshot of it waits in its review window.
  await expect(page.getByText(/[23]\s*holding unsynced work/)).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      if (size.width === 1280) await axeClean(page, `Devices (${scheme})`);
      await page.screenshot({ path: `${SCREENS}/devices-${size.width}x${size.height}-${scheme}.png` });
    }
  }

  // Keyboard: the grid is reachable and walks its rows.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(sizes[0]);
  await table.getByRole('row').nth(1).focus();
  await page.keyboard.press('ArrowDown');
  await expect(table.getByRole('row').nth(2)).toBeFocused();

  // The server goes away: the list stays, and the reason shows next to it.
  await stack.server.stop();
  try {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('alert')).toContainText(/Could not refresh: cannot reach the server/);
    await page.screenshot({ path: `${SCREENS}/devices-error-1280x720-light.png` });
  } finally {
    await stack.server.restart();
  }
});

test('locked settings show the lock and the reason on Settings and "What Stint records"', async ({ page, stack }) => {
  await page.goto(stack.agent.windowUrl);
  await page.getByRole('tab', { name: 'Settings' }).click();
  const locked = page.getByRole('list', { name: 'Locked settings' });
  await expect(locked.getByRole('listitem')).toHaveCount(5);
  await expect(locked.getByRole('listitem').filter({ hasText: 'Server' })).toContainText("Set by your organisation's IT (policy file)");
  await expect(locked.getByRole('listitem').filter({ hasText: 'Start with the computer' })).toContainText('always on');
  // autoStart: true turned the entry on at start-up, and the switch cannot turn it off.
  expect(existsSync(join(policyDir, 'autostart', 'stint.desktop'))).toBe(true);
  const autoStart = page.getByRole('switch', { name: 'Start Stint when I log in' });
  await expect(autoStart).toBeChecked();
  await expect(autoStart).toBeDisabled();
  await page.getByRole('tab', { name: 'Account' }).click();
  await expect(page.getByText(`Server: ${stack.server.url}`).locator('..')).toContainText("Set by your organisation's IT (policy file)");
  await page.getByRole('tab', { name: 'What Stint records' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '2 screenshots of each display' })).toContainText("Set by your organisation's IT (policy file)");
  await expect(page.getByRole('listitem').filter({ hasText: 'window title' })).not.toContainText('policy file');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const [tab, slug] of [['Settings', 'settings-locked'], ['What Stint records', 'records-locked']] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        if (size.width === 1280) await axeClean(page, `${tab} locked (${scheme})`);
        await page.screenshot({ path: `${SCREENS}/${slug}-${size.width}x${size.height}-${scheme}.png` });
      }
    }
  }
});

test('a bad policy file: the window says so with the field, and the last good settings stay locked', async ({ page, stack }) => {
  writeFileSync(policyFile, JSON.stringify({ version: 1, capture: { screenshotsPerSlot: 9 } }));
  const agent = await stack.restartAgent();
  await page.goto(agent.windowUrl);
  await expect(page.getByRole('alert').filter({ hasText: "policy file has a problem" })).toContainText('capture.screenshotsPerSlot: Too big: expected number to be <=3; using the last good copy of it');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByRole('list', { name: 'Locked settings' }).getByRole('listitem')).toHaveCount(5);
  await axeClean(page, 'policy error');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SCREENS}/policy-error-1280x720-${scheme}.png` });
  }
});

test('signed out under a locked server: the sign-in forms show that server, read-only, with the lock', async ({ page, stack }) => {
  writeFileSync(policyFile, JSON.stringify({ version: 1, serverUrl: stack.server.url, locked: ['serverUrl'] }));
  const agent = await stack.restartAgent();
  await page.goto(agent.windowUrl);
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByRole('button', { name: /^Sign out/ }).click();
  // Records still queued ask for a second press; they stay on the device either way. Whether any
  // are queued depends on the moment (a minute being sent, a screenshot in review): wait for the
  // answer, the second press or the sign-in form, rather than look while the first is in flight.
  const anyway = page.getByRole('button', { name: /^Sign out anyway/ });
  const server = page.getByRole('tabpanel', { name: 'Email and password' }).getByRole('textbox', { name: 'Server address' });
  await expect(anyway.or(server)).toBeVisible();
  if (await anyway.isVisible()) await anyway.click();
  await expect(server).toHaveValue(stack.server.url);
  await expect(server).toHaveAttribute('readonly', '');
  await expect(page.getByRole('tabpanel', { name: 'Email and password' })).toContainText("Set by your organisation's IT (policy file)");
  await axeClean(page, 'sign-in, locked server');
  await page.screenshot({ path: `${SCREENS}/account-locked-server-1280x720-light.png` });
});
