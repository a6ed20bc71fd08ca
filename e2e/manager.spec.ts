import AxeBuilder from '@axe-core/playwright';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import type { TrackerStatus } from '../src/shared/tracker-api';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { expect, test, type Stack } from './stack-fixture';
import { storyHooks } from './story-hooks';

// The manager's story, continuing the employee's on the same stack: the employee tracks, then the
// team lead signs in on the window and reads that day back (real server, PostgreSQL, RGW, Chromium).
test.describe.configure({ mode: 'serial' });

storyHooks(test);

const SCREENS = 'test-results/screens';
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

async function axeClean(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** PNGs of the screen as it is now at both sizes, light and dark (test-results/screens/manager-<name>-<w>x<h>-<scheme>.png). */
async function shots(page: Page, name: string) {
  const size = page.viewportSize()!;
  for (const vp of VIEWPORTS)
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize(vp);
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENS}/manager-${name}-${vp.width}x${vp.height}-${scheme}.png` });
    }
  await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: 'light' });
}

const run = promisify(execFile);

/**
 * Something to see in the captures: an editor-like scene (ImageMagick) as the agent display's root
 * window. `display -window root` paints it and then exits non-zero (it has no window of its own to
 * show), so its exit code says nothing; the scene's own file is checked instead.
 */
async function paintDesktop(stack: Stack) {
  mkdirSync(SCREENS, { recursive: true });
  const scene = `${SCREENS}/.desktop-scene.png`;
  await run('convert', [
    '-size', '1280x720', 'gradient:#dfe7f5-#8aa6d8',
    '-fill', '#1a1d23', '-draw', 'rectangle 80,80 1200,640', '-fill', '#ffffff', '-draw', 'rectangle 84,120 1196,636', '-fill', '#2454d6', '-draw', 'rectangle 84,84 1196,118',
    '-font', 'DejaVu-Sans-Mono', '-fill', '#1a1d23', '-pointsize', '28', '-annotate', '+110+180', 'website/src/pages/pricing.tsx',
    '-pointsize', '20', '-annotate', '+110+230', 'export function Pricing() {', '-annotate', '+130+260', 'return <Plans plans={plans} />;', '-annotate', '+110+290', '}',
    scene,
  ]);
  await run('display', ['-window', 'root', scene], { env: stack.xvfb.env, timeout: 10_000 }).catch(() => undefined);
}

const status = (stack: Stack) => stack.agent.call<TrackerStatus>('status.get');
const todayIn = (tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
const teamUrl = (stack: Stack) => stack.agent.windowUrl.replace('/#', '/?screen=team#');
/** A TrackerApi call that must fail: its HTTP status and problem body. */
async function refusal(stack: Stack, method: string, input: unknown): Promise<{ status: number; title: string; detail: string }> {
  const res = await fetch(`${stack.agent.url}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.agent.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, ...((await res.json()) as { title: string; detail: string }) };
}

/** Every thumbnail on the page has loaded and decoded (its natural size is known). */
async function thumbnailsDecoded(page: Page): Promise<number> {
  const thumbs = page.locator('img[data-thumb]');
  const n = await thumbs.count();
  for (let i = 0; i < n; i++) await expect.poll(() => thumbs.nth(i).evaluate((img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  return n;
}

async function pickMember(page: Page, name: string) {
  await page.getByRole('button', { name: /Team member/ }).click();
  await page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
}

async function signInAs(stack: Stack, as: 'employee' | 'manager') {
  const now = await stack.agent.call<{ state: string }>('session.get');
  if (now.state === 'signed-in') await stack.agent.call('session.signOut', { confirm: true });
  const user = stack.server.seed[as];
  await stack.agent.call('session.signIn', { serverUrl: stack.server.url, email: user.email, password: user.password });
}

let employeeDay: { date: string; screenshotIds: string[] };

test("an employee tracks a stretch; their window has no Team page and the core refuses them the manager's reads, saying why", async ({ page, stack }) => {
  test.setTimeout(180_000);
  await stack.setPolicy({ screenshotsPerSlot: 0, reviewMinutes: 0 });
  await signInAs(stack, 'employee');
  await paintDesktop(stack);
  await stack.agent.call('timer.start', { projectId: stack.server.seed.project.id });
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < 4; k++) await stack.xdotool('mousemove', String(200 + k * 50 + i * 10), String(150 + k * 20));
    const before = (await stack.agent.call<unknown[]>('screenshots.recent', { limit: 50 })).length;
    stack.agent.captureNow();
    await expect.poll(async () => (await stack.agent.call<unknown[]>('screenshots.recent', { limit: 50 })).length, { timeout: 15_000 }).toBe(before + 1);
  }
  await stack.agent.call('timer.stop');
  await expect.poll(async () => (await status(stack)).queue, { timeout: 30_000 }).toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
  await stack.server.verifyUploads();

  await page.goto(stack.agent.windowUrl.replace('/#', '/?screen=team#'));
  await expect(page.getByRole('tab', { name: 'Timer' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Account' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Team' })).toHaveCount(0);
  // Asked for in the URL, the Team page is not there: the timer shows.
  await expect(page.getByRole('heading', { name: 'Timer', level: 1 })).toBeVisible();
  await shots(page, 'employee-no-team');

  const date = todayIn('UTC');
  const member = stack.server.seed.employee.id;
  for (const [method, input] of [
    ['manager.members', {}],
    ['manager.timeline', { userId: member, date, tz: 'UTC' }],
    ['manager.totals', { userId: member, date, tz: 'UTC' }],
    ['manager.now', {}],
    ['manager.exportCsv', { from: date, to: date, tz: 'UTC' }],
    ['manager.fullImage', { screenshotId: '01900000-0000-7000-8000-000000000000', fullUrl: `${stack.server.url}/v1/screenshots/01900000-0000-7000-8000-000000000000/full` }],
  ] as const) {
    const r = await refusal(stack, method, input);
    expect(r, method).toMatchObject({ status: 403, title: 'permission_denied', detail: expect.stringContaining(`is for managers: ${stack.server.seed.employee.email} is signed in as an employee`) });
  }
  const day = await stack.api<TimelineResponse>('manager', 'GET', `/v1/timeline?userId=${member}&date=${date}&tz=UTC`);
  employeeDay = { date, screenshotIds: day.slots.flatMap((s) => s.screenshots.map((x) => x.id)) };
  expect(employeeDay.screenshotIds.length).toBeGreaterThanOrEqual(3);
});

test("the manager opens the employee's day: slots and thumbnails load, totals match, a full image opens (audited), CSV rows match", async ({ page, stack }) => {
  test.setTimeout(240_000);
  await signInAs(stack, 'manager');
  await page.goto(teamUrl(stack));
  await expect(page.getByRole('tab', { name: 'Team' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
  // The first of the team by name has tracked nothing: the empty state.
  await expect(page.getByText('Eli Employee tracked nothing on this day.')).toBeVisible({ timeout: 15_000 });
  await axeClean(page, 'Team (empty day)');
  await shots(page, 'empty');

  await pickMember(page, 'Emma Employee');
  const member = stack.server.seed.employee.id;
  const { date } = employeeDay;
  const api = await stack.api<TimelineResponse>('manager', 'GET', `/v1/timeline?userId=${member}&date=${date}&tz=UTC`);
  const slots = page.locator('li.slot:not(.slot-none)');
  await expect(slots).toHaveCount(api.slots.length, { timeout: 15_000 });
  expect(await page.locator('.slot-time').allTextContents()).toEqual(api.slots.map((s) => s.label));
  expect(await thumbnailsDecoded(page)).toBe(api.slots.reduce((n, s) => n + Math.min(3, s.screenshots.length), 0));

  // Activity and totals: the slots' own figures, the day's sum, the project rows, and the device's own count.
  for (const [i, s] of api.slots.entries()) {
    await expect(slots.nth(i).getByRole('meter', { name: 'Activity' })).toHaveAttribute('aria-valuenow', String(s.activityPercent ?? 0));
    if (s.project) await expect(slots.nth(i).locator('.slot-project')).toHaveText(s.project.name);
  }
  const tracked = api.totals.trackedSeconds;
  const fmt = (sec: number) => (sec > 0 && sec < 60 ? `${sec} s` : sec >= 3600 ? `${Math.floor(sec / 3600)} h ${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')} min` : `${Math.floor(sec / 60)} min`);
  await expect(page.locator('.day-summary')).toContainText(`${fmt(tracked)} tracked`);
  if (tracked > 0) await expect(page.locator('.day-summary')).toContainText(`${Math.round((100 * api.totals.activeSeconds) / tracked)} % active`);
  const dayTable = page.getByRole('table', { name: `Day ${date}` });
  await expect(dayTable.getByRole('row', { name: new RegExp(`^${stack.server.seed.project.name} ${fmt(tracked)}`) })).toBeVisible();
  const summary = await stack.api<{ rows: Array<{ key: string; trackedSeconds: number; activeSeconds: number }> }>('manager', 'GET', `/v1/reports/summary?from=${date}&to=${date}&groupBy=project&tz=UTC&userId=${member}`);
  expect(summary.rows.find((r) => r.key === stack.server.seed.project.id)).toMatchObject({ trackedSeconds: tracked, activeSeconds: api.totals.activeSeconds });
  await axeClean(page, 'Team (a day)');
  await shots(page, 'day');

  // A full-size image opens; → and ← move; each view is in the audit log.
  await page.getByRole('button', { name: /^Open the screenshot of / }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(/^1 of \d+/)).toBeVisible();
  const full = dialog.getByRole('img', { name: /^Full-size screenshot/ });
  await expect.poll(() => full.evaluate((img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  await axeClean(page, 'Team (lightbox)');
  await shots(page, 'lightbox');
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByText(/^2 of \d+/)).toBeVisible();
  await expect.poll(() => full.evaluate((img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.getByText(/^1 of \d+/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const audit = await stack.api<{ entries: Array<{ actorId: string; targetId: string }> }>('admin', 'GET', '/v1/audit?action=screenshot.view_full');
  const viewed = audit.entries.filter((e) => e.actorId === stack.server.seed.manager.id).map((e) => e.targetId);
  expect(viewed).toEqual(expect.arrayContaining(employeeDay.screenshotIds.slice(0, 2)));

  // CSV of the week so far: the file's rows are the server's summary rows.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  const csv = readFileSync((await file.path())!, 'utf8').trim().split('\r\n');
  await expect(page.getByText(/^Saved stint-day-.*\.csv: \d+ rows?$/)).toBeVisible();
  const from = /stint-day-(\d{4}-\d\d-\d\d)-(\d{4}-\d\d-\d\d)\.csv/.exec(file.suggestedFilename())!;
  const report = await stack.api<{ rows: Array<{ key: string; trackedSeconds: number; activeSeconds: number }> }>('manager', 'GET', `/v1/reports/summary?from=${from[1]}&to=${from[2]}&groupBy=day&tz=UTC&userId=${member}`);
  expect(csv[0]).toBe('key,label,trackedSeconds,activeSeconds,activityPercent');
  expect(csv.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual(report.rows.map((r) => [r.key, expect.any(String), String(r.trackedSeconds), String(r.activeSeconds)]));
  expect(csv.slice(1).map((l) => l.split(',')[0])).toContain(date);
  await shots(page, 'exported');

  // Who is tracking now: nobody (the employee stopped).
  await expect(page.getByText('Nobody on your team is tracking right now.')).toBeVisible();

  // The server goes away: the day says why, and comes back on "Try again".
  await stack.server.stop();
  await page.getByRole('button', { name: 'Previous day' }).click();
  await expect(page.locator('.day-card [role=alert]')).toContainText(/cannot reach the server/, { timeout: 30_000 });
  await axeClean(page, 'Team (error)');
  await shots(page, 'error');
  await stack.server.restart();
  await page.getByRole('button', { name: 'Today' }).click();
  await expect(slots).toHaveCount(api.slots.length, { timeout: 30_000 });
});

test('a viewer in Asia/Kathmandu sees the slots on their own clock (+05:45)', async ({ browser, stack }) => {
  // (The manager is signed in on the agent since the test before.)
  const context = await browser.newContext({ timezoneId: 'Asia/Kathmandu', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(teamUrl(stack));
  // (Chromium's ICU names the zone by its older alias, Asia/Katmandu; the server takes either.)
  await expect(page.getByText(/^Times in Asia\/Kath?mandu$/)).toBeVisible({ timeout: 15_000 });
  await pickMember(page, 'Emma Employee');
  const date = todayIn('Asia/Kathmandu');
  const member = stack.server.seed.employee.id;
  const ktm = await stack.api<TimelineResponse>('manager', 'GET', `/v1/timeline?userId=${member}&date=${date}&tz=Asia%2FKathmandu`);
  expect(ktm.slots.length).toBeGreaterThan(0);
  await expect(page.locator('li.slot:not(.slot-none)')).toHaveCount(ktm.slots.length, { timeout: 15_000 });
  expect(await page.locator('.slot-time').allTextContents()).toEqual(ktm.slots.map((s) => s.label));
  // Each slot starts on a 10-minute mark of Kathmandu's clock: :05, :15, ... UTC.
  for (const s of ktm.slots) {
    expect(new Date(s.start).getUTCMinutes() % 10).toBe(5);
    const local = new Date(Date.parse(s.start) + 345 * 60_000);
    expect(s.label).toBe(`${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`);
  }
  await expect(page.locator('.hour-label').first()).toHaveText(/^\d\d:00$/);
  await context.close();
});

