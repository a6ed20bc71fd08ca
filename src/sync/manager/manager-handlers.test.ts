import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTracker } from '../tracker';
import type { Tracker } from '../tracker-types';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';
import { tempDir } from '../test-support/temp-dir';
import { startRealServer, type RealServer } from '../test-support/real-server';
import { createSessionService } from '../session/session-service';
import { addDays, dateIn } from '../../shared/rules/zoned-day';
import type { TrackerMethod } from '../../shared/tracker-api';

// The manager's reads through the core, on the real server (PostgreSQL + RGW): an employee's
// device tracks and uploads; a manager's tracker reads that day back through its own session.
const LOCAL = { id: '00000000-0000-4000-8000-000000000001', name: 'Local', tasks: [] };
let server: RealServer;
let employee: Tracker;
let manager: Tracker;
let managerOrigins: string[];
const dirs: Array<{ remove(): void }> = [];

async function trackerSignedIn(as: 'employee' | 'manager'): Promise<{ tracker: Tracker; session: ReturnType<typeof createSessionService> }> {
  const dir = tempDir();
  dirs.push(dir);
  const session = createSessionService({ dataDir: dir.path, deviceName: `${as} device`, log: () => undefined });
  const tracker = await createTracker(
    { clock: session.clock, capturer: { module: syntheticCapturerModule, options: {} }, idle: { idleMs: async () => 0 }, windows: { current: async () => ({ app: 'Editor', title: 'work' }) } },
    { dataDir: dir.path, projects: [LOCAL], policy: { screenshotsPerSlot: 0 } },
  );
  session.bind(tracker);
  tracker.useSession(session.handlers);
  await tracker.api['session.signIn']({ serverUrl: server.url, email: server.seed[as].email, password: server.seed[as].password });
  return { tracker, session };
}

async function adminApi(method: string, path: string, body?: unknown): Promise<unknown> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.seed.admin.email, password: server.seed.admin.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function until(ok: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

const today = (tz = 'UTC') => dateIn(tz, Date.now());

beforeAll(async () => {
  server = await startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! });
  // Screenshots are kept 30 days in this org: older days have theirs purged.
  await adminApi('PUT', '/v1/org/retention', { retentionDays: 30 });
  // Signed in, the device works with the org's policy, not the one it was made with: the seed's
  // default takes a screenshot at a random instant of each slot, a third one the day would show if
  // it fell before the uploads were verified. Only the two captureNow() shots below are wanted.
  await adminApi('PUT', '/v1/org/policy', { screenshotsPerSlot: 0 });
  employee = (await trackerSignedIn('employee')).tracker;
  await employee.api['timer.start']({ projectId: server.seed.project.id });
  // Activity is sampled once a second: track a few seconds, or a fast machine stops the timer (in
  // the totals test) before any second of it was recorded and the day has no minutes at all.
  await until(async () => (await employee.api['status.get']({})).todaySeconds >= 3, 'three tracked seconds');
  await employee.captureNow();
  await employee.captureNow();
  await until(async () => {
    const { queue } = await employee.api['status.get']({});
    return queue.screenshots === 0 && queue.ops === 0;
  }, 'the employee device to upload everything');
  // A record the server refused leaves the queue too: say which, rather than fail later on an empty day.
  const dead = await employee.api['sync.deadLetters']({});
  if (dead.length) throw new Error(`the employee's device has dead letters: ${JSON.stringify(dead)}`);
  await server.verifyUploads();
  const m = await trackerSignedIn('manager');
  manager = m.tracker;
  managerOrigins = m.session.imageOrigins();
}, 90_000);

afterAll(async () => {
  await employee?.shutdown();
  await manager?.shutdown();
  await server?.close();
  for (const d of dirs) d.remove();
});

describe('the manager reads through the core (TrackerApi manager.*)', () => {
  it('lists the team the manager may see: their team, not the outsider', async () => {
    const { users } = await manager.api['manager.members']({});
    const ids = users.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([server.seed.employee.id, server.seed.employee2.id, server.seed.manager.id]));
    expect(ids).not.toContain(server.seed.outsider.id);
  });

  it("gives a member's day as slots with verified screenshots, signed thumbnails the blob store serves, and the origins the window's CSP needs", async () => {
    const day = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: today(), tz: 'UTC' });
    expect(day.retention).toEqual({ days: 30, purged: 'none' });
    const shots = day.slots.flatMap((s) => s.screenshots);
    expect(shots).toHaveLength(2);
    const thumb = await fetch(shots[0]!.thumbUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toMatch(/^image\//);
    expect(managerOrigins).toEqual(expect.arrayContaining([new URL(server.url).origin, new URL(shots[0]!.thumbUrl!).origin]));
    expect((await manager.api['session.get']({})) as { imageOrigins?: string[] }).toMatchObject({ imageOrigins: managerOrigins });
  });

  it('aligns the slots to the viewer\'s zone: in Asia/Kathmandu (+05:45) they start at :x5 UTC and are labelled on the local clock', async () => {
    const day = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: today('Asia/Kathmandu'), tz: 'Asia/Kathmandu' });
    expect(day.slots.length).toBeGreaterThan(0);
    for (const slot of day.slots) {
      expect(new Date(slot.start).getUTCMinutes() % 10).toBe(5);
      const local = new Date(Date.parse(slot.start) + (5 * 60 + 45) * 60_000);
      expect(slot.label).toBe(`${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`);
    }
  });

  it("totals per project for the day and its week agree with the day's slots", async () => {
    // The employee's running minute reaches the server as it is flushed: stop the timer so both reads see the same.
    await employee.api['timer.stop']({});
    await expect.poll(async () => (await employee.api['status.get']({})).queue.ops, { timeout: 15_000 }).toBe(0);
    const day = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: today(), tz: 'UTC' });
    const totals = await manager.api['manager.totals']({ userId: server.seed.employee.id, date: today(), tz: 'UTC' });
    expect(day.slots.some((s) => s.project?.id === server.seed.project.id && s.topApps.some((a) => a.app === 'Editor'))).toBe(true);
    const dayRow = totals.day.rows.find((r) => r.key === server.seed.project.id);
    expect(dayRow?.trackedSeconds).toBe(day.totals.trackedSeconds);
    expect(dayRow?.activeSeconds).toBe(day.totals.activeSeconds);
    expect(totals.week.rows.find((r) => r.key === server.seed.project.id)?.trackedSeconds).toBeGreaterThanOrEqual(day.totals.trackedSeconds);
    expect(totals.week.from <= today() && today() <= totals.week.to).toBe(true);
    await employee.api['timer.start']({ projectId: server.seed.project.id });
  });

  it('says who is tracking now', async () => {
    await expect
      .poll(async () => (await manager.api['manager.now']({})).members.find((m) => m.userId === server.seed.employee.id)?.tracking, { timeout: 15_000 })
      .toBe(true);
    const now = await manager.api['manager.now']({});
    expect(now.members.find((m) => m.userId === server.seed.employee.id)?.entry?.projectId).toBe(server.seed.project.id);
    expect(now.members.map((m) => m.userId)).not.toContain(server.seed.outsider.id);
  });

  it('exports a range as CSV whose rows match the summary, and the export is audited', async () => {
    const out = await manager.api['manager.exportCsv']({ from: addDays(today(), -6), to: today(), tz: 'UTC', groupBy: 'day', userId: server.seed.employee.id });
    const lines = out.csv.trim().split('\r\n');
    expect(lines[0]).toBe('key,label,trackedSeconds,activeSeconds,activityPercent');
    expect(out.rows).toBe(lines.length - 1);
    expect(out.filename).toBe(`stint-day-${addDays(today(), -6)}-${today()}.csv`);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toContain(today());
    const audit = (await adminApi('GET', '/v1/audit?action=report.export')) as { entries: Array<{ actorId: string }> };
    expect(audit.entries.map((e) => e.actorId)).toContain(server.seed.manager.id);
  });

  it('follows the audited full-image redirect and hands back the signed store URL; the view is in the audit log', async () => {
    const day = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: today(), tz: 'UTC' });
    const shot = day.slots.flatMap((s) => s.screenshots)[0]!;
    const full = await manager.api['manager.fullImage']({ screenshotId: shot.id, fullUrl: shot.fullUrl });
    expect(full.screenshotId).toBe(shot.id);
    expect(new URL(full.url).origin).toBe(new URL(shot.thumbUrl!).origin);
    const image = await fetch(full.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\//);
    const audit = (await adminApi('GET', '/v1/audit?action=screenshot.view_full')) as { entries: Array<{ actorId: string; targetId: string }> };
    expect(audit.entries).toContainEqual(expect.objectContaining({ actorId: server.seed.manager.id, targetId: shot.id }));
  });

  it('says which part of a day is past the retention: all of a day 40 days ago, none of today', async () => {
    const old = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: addDays(today(), -40), tz: 'UTC' });
    expect(old.retention).toEqual({ days: 30, purged: 'all' });
    expect(old.slots.flatMap((s) => s.screenshots)).toEqual([]);
    const cut = await manager.api['manager.timeline']({ userId: server.seed.employee.id, date: addDays(today(), -30), tz: 'UTC' });
    expect(cut.retention.purged).toBe('part');
  });
});

describe('what the manager reads refuse', () => {
  const member = () => server.seed.employee.id;
  const calls = (): Array<[TrackerMethod, unknown]> => [
    ['manager.members', {}],
    ['manager.timeline', { userId: member(), date: today(), tz: 'UTC' }],
    ['manager.totals', { userId: member(), date: today(), tz: 'UTC' }],
    ['manager.now', {}],
    ['manager.exportCsv', { from: today(), to: today(), tz: 'UTC' }],
    ['manager.fullImage', { screenshotId: '01900000-0000-7000-8000-000000000000', fullUrl: `${server.url}/v1/screenshots/01900000-0000-7000-8000-000000000000/full` }],
  ];
  const call = (t: Tracker, method: TrackerMethod, input: unknown) => (t.api[method] as (i: unknown) => Promise<unknown>)(input);

  it("refuses every method to an employee's session with permission_denied and the reason", async () => {
    for (const [method, input] of calls()) {
      await expect(call(employee, method, input), method).rejects.toMatchObject({
        code: 'permission_denied',
        message: expect.stringMatching(new RegExp(`is for managers: ${server.seed.employee.email.replace(/[.+]/g, '\\$&')} is signed in as an employee`)),
      });
    }
  });

  it('refuses every method on a tracker that is not signed in, saying so', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const session = createSessionService({ dataDir: dir.path, deviceName: 'signed out', log: () => undefined });
    const t = await createTracker(
      { clock: session.clock, capturer: { module: syntheticCapturerModule, options: {} }, idle: { idleMs: async () => 0 }, windows: { current: async () => null } },
      { dataDir: dir.path, projects: [LOCAL], policy: { screenshotsPerSlot: 0 } },
    );
    t.useSession(session.handlers);
    try {
      for (const [method, input] of calls())
        await expect(call(t, method, input), method).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringMatching(/not signed in/) });
    } finally {
      await t.shutdown();
    }
  });

  it('answers malformed input to each method with invalid_argument and the field', async () => {
    const bad: Array<[TrackerMethod, unknown, string]> = [
      ['manager.members', { team: 'x' }, ''],
      ['manager.timeline', { userId: 'nobody', date: today(), tz: 'UTC' }, 'userId'],
      ['manager.timeline', { userId: member(), date: '2026-13-01', tz: 'UTC' }, 'date'],
      ['manager.timeline', { userId: member(), date: today(), tz: 'Mars/Olympus' }, 'tz'],
      ['manager.timeline', { userId: member(), date: addDays(today('Pacific/Kiritimati'), 1), tz: 'Pacific/Kiritimati' }, 'date'],
      ['manager.totals', { userId: member(), tz: 'UTC' }, 'date'],
      ['manager.now', { everyone: true }, ''],
      ['manager.exportCsv', { from: today(), to: addDays(today(), -1), tz: 'UTC' }, 'to'],
      ['manager.exportCsv', { from: addDays(today(), -400), to: today(), tz: 'UTC' }, 'to'],
      ['manager.exportCsv', { from: today(), to: today(), tz: 'UTC', groupBy: 'team' }, 'groupBy'],
      ['manager.fullImage', { screenshotId: 'x', fullUrl: `${server.url}/v1/screenshots/x/full` }, 'screenshotId'],
      ['manager.fullImage', { screenshotId: '01900000-0000-7000-8000-000000000000', fullUrl: 'not a url' }, 'fullUrl'],
      // A link somewhere else is never followed with the manager's session behind it.
      ['manager.fullImage', { screenshotId: '01900000-0000-7000-8000-000000000000', fullUrl: 'https://elsewhere.example/v1/screenshots/01900000-0000-7000-8000-000000000000/full' }, 'fullUrl'],
    ];
    for (const [method, input, field] of bad) {
      const err = (await call(manager, method, input).catch((e: unknown) => e)) as { code?: string; issues?: Array<{ path: string }> };
      expect(err.code, `${method} ${JSON.stringify(input)}`).toBe('invalid_argument');
      expect(err.issues?.map((i) => i.path), `${method} ${JSON.stringify(input)}`).toContain(field);
    }
  });

  it("answers a member of another team with not_found and the server's reason", async () => {
    const outsider = server.seed.outsider.id;
    for (const [method, input] of [
      ['manager.timeline', { userId: outsider, date: today(), tz: 'UTC' }],
      ['manager.totals', { userId: outsider, date: today(), tz: 'UTC' }],
      ['manager.exportCsv', { from: today(), to: today(), tz: 'UTC', userId: outsider }],
    ] as Array<[TrackerMethod, unknown]>)
      await expect(call(manager, method, input), method).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no such user visible to you/) });
  });

  it('answers a full-image link that is no longer valid with the server\'s reason', async () => {
    const day = await manager.api['manager.timeline']({ userId: member(), date: today(), tz: 'UTC' });
    const shot = day.slots.flatMap((s) => s.screenshots)[0]!;
    const forged = new URL(shot.fullUrl);
    forged.searchParams.set('signature', 'A'.repeat(43));
    await expect(manager.api['manager.fullImage']({ screenshotId: shot.id, fullUrl: forged.toString() })).rejects.toMatchObject({ code: 'permission_denied', message: expect.stringMatching(/invalid signature/) });
  });
});
