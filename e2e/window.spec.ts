import AxeBuilder from '@axe-core/playwright';
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './agent-fixture';

const sizes = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

// A page error or a CSP refusal is a failure of the window, whatever the test checks next.
test.beforeEach(({ page }) => {
  page.on('pageerror', (err) => {
    throw err;
  });
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`page console: ${m.text()}`);
  });
});

async function noSeriousViolations(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('the timer screen loads, a project is picked by typing, the timer starts, a screenshot appears', async ({ page, agent }) => {
  await page.goto(agent.windowUrl);
  await expect(page).toHaveURL(`${agent.url}/`); // the token left the address bar
  await expect(page.getByRole('heading', { name: 'Timer' })).toBeVisible();
  // The agent starts tracking at launch; stop so the story starts from a stopped timer.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Not tracking')).toBeVisible();
  const picker = page.getByRole('combobox', { name: 'Project or task' });
  await picker.fill('');
  await picker.pressSequentially('loc');
  await expect(page.getByRole('option', { name: 'Local project' })).toBeVisible();
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(picker).toHaveValue('Local project');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText('Tracking Local project')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

  await page.getByRole('tab', { name: 'Screenshots' }).click();
  // The launch capture (--capture-now) is there; the scheduler may have added its own at a random
  // instant of the slot meanwhile (one per slot by default), so the list is not counted.
  await expect(page.getByRole('list', { name: 'Recent screenshots' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /View the screenshot of .* full size/ })).toBeVisible();
});

test('every screen passes axe (no serious or critical) and is saved as PNG, light and dark, at both sizes', async ({ page, agent }) => {
  await page.goto(agent.windowUrl);
  await expect(page.getByRole('heading', { name: 'Timer' })).toBeVisible();
  const screens = ['Timer', 'Screenshots', 'Sync', 'What Stint records', 'Settings', 'Account'];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const name of screens) {
        await page.getByRole('tab', { name }).click();
        await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        if (size.width === 1280) await noSeriousViolations(page, `${name} (${scheme})`);
        const slug = name.toLowerCase().replace(/\W+/g, '-');
        await page.screenshot({ path: `test-results/screens/${slug}-${size.width}x${size.height}-${scheme}.png` });
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(sizes[0]);
  await page.getByRole('tab', { name: 'Screenshots' }).click();
  await page.getByRole('button', { name: /View the screenshot of/ }).first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('img', { name: /Full-size screenshot/ })).toBeVisible();
  await noSeriousViolations(page, 'Screenshot dialog');
  await page.screenshot({ path: 'test-results/screens/screenshot-dialog-1280x720-light.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('the sign-in and settings forms show each bad value next to its field, in words', async ({ page, agent }) => {
  await page.goto(agent.windowUrl);
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByLabel('Server address', { exact: true }).fill('ftp://stint.example');
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Server address', { exact: true })).toHaveAccessibleDescription('must be an http:// or https:// address');
  await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription('must be an email address');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('enter your password');
  await page.getByRole('tab', { name: 'Enrollment token' }).click();
  await page.getByLabel('Server address', { exact: true }).fill('https://stint.example');
  await page.getByRole('textbox', { name: 'Enrollment token' }).fill('short');
  await page.getByRole('button', { name: 'Enroll this device' }).click();
  await expect(page.getByRole('textbox', { name: 'Enrollment token' })).toHaveAccessibleDescription('the enrollment token is too short');
  await noSeriousViolations(page, 'Account with errors');
  await page.screenshot({ path: 'test-results/screens/account-errors-1280x720-light.png' });

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Device name').fill('   ');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Device name')).toHaveAccessibleDescription(/deviceName|characters|small/i);
  await page.getByLabel('Device name').fill('Ada laptop');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
});

test('start at login is one switch in Settings: on writes the autostart entry, off removes it', async ({ page, agent }) => {
  await page.goto(agent.windowUrl);
  await page.getByRole('tab', { name: 'Settings' }).click();
  const start = page.getByRole('switch', { name: 'Start Stint when I log in' });
  await expect(start).not.toBeChecked();
  await expect(start).toHaveAccessibleDescription(/opens in the tray/);
  await start.focus();
  await page.keyboard.press('Space');
  await expect(start).toBeChecked();
  await expect.poll(() => existsSync(agent.autostartFile)).toBe(true);
  expect(readFileSync(agent.autostartFile, 'utf8')).toContain('Exec=/opt/Stint/stint\n');
  await noSeriousViolations(page, 'Settings');
  await page.screenshot({ path: 'test-results/screens/settings-autostart-1280x720-light.png' });
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByRole('switch', { name: 'Start Stint when I log in' })).toBeChecked();
  await page.getByText('Start Stint when I log in').click(); // the label, where a pointer clicks
  await expect(page.getByRole('switch', { name: 'Start Stint when I log in' })).not.toBeChecked();
  expect(existsSync(agent.autostartFile)).toBe(false);
});
