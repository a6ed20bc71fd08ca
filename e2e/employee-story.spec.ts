import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { TrackerStatus } from '../src/shared/tracker-api';
import { expect, test, type Stack } from './stack-fixture';
import { storyHooks } from './story-hooks';

// The employee's story on the real product: server + PostgreSQL + RGW, an agent under Xvfb, Chromium.
test.describe.configure({ mode: 'serial' });

storyHooks(test);

const SCREENS = 'test-results/screens';

async function axeClean(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENS}/story-${name}.png` });
}

/** Real X input on the agent's display: the activity sampler sees it through xprintidle. */
async function work(stack: Stack, moves = 6) {
  for (let i = 0; i < moves; i++) await stack.xdotool('mousemove', String(100 + i * 40), String(100 + (i % 3) * 30));
}

const status = (stack: Stack) => stack.agent.call<TrackerStatus>('status.get');
const tab = (page: Page, name: string) => page.getByRole('tab', { name });
const syncLine = (page: Page) => page.getByRole('status').filter({ hasText: /synced|waiting|Offline|Signed out|Tracker/ }).first();

test('an employee enrolls, tracks, syncs through an outage, deletes a screenshot, reviews one, and discards idle time', async ({ page, stack }) => {
  test.setTimeout(240_000);
  // A short idle threshold (the policy's least) so the story can idle past it.
  await stack.setPolicy({ idleThresholdSeconds: 60, reviewMinutes: 0, screenshotsPerSlot: 0 });

  // 1. Enroll from the window with the token IT gave.
  await page.goto(stack.agent.windowUrl);
  await tab(page, 'Account').click();
  await page.getByRole('tab', { name: 'Enrollment token' }).click();
  await page.getByLabel('Server address', { exact: true }).fill(stack.server.url);
  await page.getByRole('textbox', { name: 'Enrollment token' }).fill(await stack.server.enrollmentToken());
  await page.getByRole('button', { name: 'Enroll this device' }).click();
  await expect(page.getByText(new RegExp(`^Signed in as .*\\(${stack.server.seed.employee.email}\\)`))).toBeVisible({ timeout: 20_000 });
  await axeClean(page, 'Account (signed in)');
  await shot(page, 'account-signed-in');

  // 2. Pick the project by typing; start the timer (signing in stopped the local one).
  await tab(page, 'Timer').click();
  await expect(page.getByText('Not tracking')).toBeVisible();
  const picker = page.getByRole('combobox', { name: 'Project or task' });
  await picker.fill('');
  await picker.pressSequentially('webs');
  await expect(page.getByRole('option', { name: 'Website', exact: true })).toBeVisible();
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(picker).toHaveValue('Website');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText('Tracking Website')).toBeVisible();

  // 3. Real input makes activity; screenshots appear, then show as synced.
  await work(stack);
  await expect.poll(async () => (await status(stack)).activityPercent ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
  stack.agent.captureNow();
  await tab(page, 'Screenshots').click();
  const items = page.getByRole('list', { name: 'Recent screenshots' }).getByRole('listitem');
  await expect(items).toHaveCount(1, { timeout: 15_000 });
  await expect(items.first().getByText('synced')).toBeVisible({ timeout: 20_000 });
  // Batch-completed uploads are `received` until the worker has checked the object (HEAD, decode, thumbnail).
  await expect.poll(async () => (await stack.serverScreenshots()).map((s) => s.state), { timeout: 15_000 }).toEqual([expect.stringMatching(/^(received|stored)$/)]);
  await stack.server.verifyUploads();
  expect((await stack.serverScreenshots()).map((s) => s.state)).toEqual(['verified']);
  await tab(page, 'Timer').click();
  await expect(page.getByText(/^\d+ %$/)).toBeVisible();
  await axeClean(page, 'Timer (tracking)');
  await shot(page, 'timer-tracking');

  // 4. The server goes away: tracking goes on, the window says offline, the queue grows.
  await stack.server.stop();
  await work(stack);
  stack.agent.captureNow();
  await tab(page, 'Sync').click();
  await expect(syncLine(page)).toContainText('Offline since', { timeout: 30_000 });
  stack.agent.captureNow();
  await expect.poll(async () => (await status(stack)).queue.screenshots, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByText('Tracking Website')).toHaveCount(0); // (the sync screen has no timer line)
  expect((await status(stack)).running).toBeTruthy();
  await axeClean(page, 'Sync (offline)');
  await shot(page, 'sync-offline');

  // 5. It returns: the queue drains to zero.
  await stack.server.restart();
  await work(stack);
  await expect(syncLine(page)).toHaveText(/All synced/, { timeout: 60_000 });
  await expect.poll(async () => (await status(stack)).queue, { timeout: 15_000 }).toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
  expect(await stack.serverScreenshots()).toHaveLength(3);
  await shot(page, 'sync-all-synced');

  // 6. Delete a synced screenshot (in its grace window): gone from the server and from S3.
  await tab(page, 'Screenshots').click();
  await expect(items).toHaveCount(3);
  const [victim] = (await stack.serverScreenshots()).slice(-1);
  expect((await stack.objectKeys()).some((k) => k.includes(victim!.id))).toBe(true);
  await items.first().getByRole('button', { name: /^Delete/ }).click();
  await expect(items).toHaveCount(2);
  await expect.poll(async () => (await stack.serverScreenshots()).map((s) => s.id), { timeout: 20_000 }).not.toContain(victim!.id);
  await expect.poll(async () => (await stack.objectKeys()).some((k) => k.includes(victim!.id)), { timeout: 20_000 }).toBe(false);

  // 7. With a review window (picked up at the agent's next start): a screenshot waits, is deleted in review, never reaches the server.
  await stack.setPolicy({ reviewMinutes: 1 });
  await stack.restartAgent();
  await page.goto(stack.agent.windowUrl);
  await work(stack);
  stack.agent.captureNow();
  await expect.poll(async () => (await status(stack)).inReview, { timeout: 15_000 }).toBe(1);
  stack.agent.captureNow();
  await expect.poll(async () => (await status(stack)).inReview, { timeout: 15_000 }).toBe(2);
  await tab(page, 'Screenshots').click();
  await expect(page.getByText('2 waiting in review')).toBeVisible();
  await axeClean(page, 'Screenshots (in review)');
  await shot(page, 'screenshots-in-review');
  const reviewed = await stack.agent.call<Array<{ id: string; state: string }>>('screenshots.recent', { limit: 2 });
  const [deletedInReview, keptInReview] = reviewed.map((s) => s.id);
  await items.first().getByRole('button', { name: /^Delete/ }).click();
  await expect(page.getByText('1 waiting in review')).toBeVisible();
  const onServer = (await stack.serverScreenshots()).map((s) => s.id);
  expect(onServer).not.toContain(deletedInReview);
  expect(onServer).not.toContain(keptInReview);

  // 8. Idle past the threshold (no input for 60 s; the review minute passes meanwhile).
  await tab(page, 'Timer').click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible({ timeout: 120_000 });
  await expect(dialog.getByRole('heading', { name: /You were away for \d+ min/ })).toBeVisible();
  // The kept one left review and was uploaded; the deleted one never reached the server or S3.
  await expect.poll(async () => (await stack.serverScreenshots()).map((s) => s.id), { timeout: 30_000 }).toContain(keptInReview);
  expect((await stack.serverScreenshots()).map((s) => s.id)).not.toContain(deletedInReview);
  expect((await stack.objectKeys()).some((k) => k.includes(deletedInReview!))).toBe(false);
  await work(stack); // back: the span closes
  await expect(dialog.getByText(/ to \d\d:\d\d/)).toBeVisible({ timeout: 15_000 });
  await axeClean(page, 'Idle dialog');
  await shot(page, 'idle-dialog');
  const [span] = await stack.agent.call<Array<{ startedAt: string; endedAt: string | null }>>('idle.pending');
  const idleSeconds = (Date.parse(span!.endedAt!) - Date.parse(span!.startedAt)) / 1000;
  expect(idleSeconds).toBeGreaterThanOrEqual(60);
  // Totals frozen (timer stopped) so the discard's effect is the only change.
  await stack.agent.call('timer.stop');
  const before = (await status(stack)).todaySeconds;
  await dialog.getByRole('button', { name: 'Discard it' }).click();
  await expect(dialog).toHaveCount(0);
  const after = (await status(stack)).todaySeconds;
  expect(Math.abs(before - after - idleSeconds)).toBeLessThanOrEqual(1); // whole seconds on both sides
});
