import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trackerMethods, type TrackerEvent, type TrackerMethod } from '../shared/index';
import { createTracker, type Tracker } from './tracker';
import { createFakeClock, type FakeClock } from './test-support/fake-clock';
import { scriptedIdle } from './test-support/scripted-idle';
import { syntheticCapturerModule } from './test-support/synthetic.capturer';
import { tempDir } from './test-support/temp-dir';
import { newId } from '../shared/ids';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const OTHER = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const projects = [
  { id: PROJECT, name: 'Local', tasks: [] },
  { id: OTHER, name: 'Other', tasks: [] },
];

let dir: ReturnType<typeof tempDir>;
let clock: FakeClock;
let idle: ReturnType<typeof scriptedIdle>;
let tracker: Tracker;
let events: TrackerEvent[];
const failFile = () => join(dir.path, 'fail-capture');

async function open(policy = {}) {
  tracker = await createTracker(
    { clock, capturer: { module: syntheticCapturerModule, options: { displays: 2, failFile: failFile() } }, idle, windows: idle },
    { dataDir: join(dir.path, 'data'), projects, policy: { screenshotsPerSlot: 0, ...policy } },
  );
  events = [];
  tracker.on((e) => events.push(e));
}

beforeEach(async () => {
  dir = tempDir();
  clock = createFakeClock(T0);
  idle = scriptedIdle(clock);
  await open();
});
afterEach(async () => {
  await tracker.shutdown();
  dir.remove();
});

/** Scripted input once a second for `seconds` seconds of fake time. */
async function work(seconds: number) {
  for (let i = 0; i < seconds; i++) {
    idle.input();
    await clock.advance(1000);
  }
}

const v7 = newId(T0);
const badInputs: Array<[TrackerMethod, unknown, RegExp]> = [
  ['timer.start', {}, /projectId/],
  ['timer.start', { projectId: 'p1' }, /projectId: Invalid UUID/],
  ['timer.stop', { now: true }, /Unrecognized key/],
  ['status.get', 'everything', /expected object/],
  ['projects.list', { all: 1 }, /Unrecognized key/],
  ['screenshots.recent', { limit: 0 }, /limit/],
  ['screenshots.recent', { limit: '5' }, /limit: Invalid input: expected number/],
  ['screenshots.delete', { id: 'abc' }, /id: must be a UUIDv7/],
  ['idle.pending', [], /expected object/],
  ['idle.decide', { spanId: v7, decision: 'maybe' }, /decision/],
  ['idle.decide', { spanId: v7, decision: 'assign' }, /decision 'assign' needs a projectId/],
  ['settings.get', { x: 1 }, /Unrecognized key/],
  ['settings.update', { deviceName: '' }, /deviceName/],
  ['sync.deadLetters', { x: 1 }, /Unrecognized key/],
  ['sync.retry', { id: 42 }, /id/],
  ['fleet.list', { orgId: 'other' }, /Unrecognized key/],
  // The manager's reads, at the boundary of a tracker that is not signed in (the signed-in cases: manager-handlers.test.ts).
  ['manager.members', { team: 'x' }, /Unrecognized key/],
  ['manager.timeline', { userId: 'nobody', date: '2026-01-05', tz: 'UTC' }, /userId/],
  ['manager.totals', { userId: PROJECT, date: '2026-13-01', tz: 'UTC' }, /date/],
  ['manager.now', { everyone: true }, /Unrecognized key/],
  ['manager.exportCsv', { from: '2026-01-05', to: '2026-01-04', tz: 'UTC' }, /to: must be on or after the first day/],
  ['manager.fullImage', { screenshotId: v7, fullUrl: 'not a url' }, /fullUrl/],
  ['session.get', { user: 'me' }, /Unrecognized key/],
  ['session.signIn', { serverUrl: 'https://stint.example', email: 'not-an-email', password: 'x' }, /email: must be an email address/],
  ['session.signIn', { serverUrl: 'ftp://stint.example', email: 'a@b.co', password: 'x' }, /serverUrl: must be an http/],
  ['session.signIn', { serverUrl: 'https://stint.example', email: 'a@b.co', password: '' }, /password: enter your password/],
  ['session.enroll', { serverUrl: 'https://stint.example', token: 'short' }, /token: the enrollment token is too short/],
  ['session.enroll', { serverUrl: '', token: 'long-enough-token' }, /serverUrl: enter the server address/],
  ['session.signOut', { confirm: 'yes' }, /confirm/],
  ['screenshots.image', { id: 'abc' }, /id: must be a UUIDv7/],
];

describe('createTracker: the TrackerApi boundary', () => {
  it('has a malformed-input case for every method', () => {
    expect(new Set(badInputs.map(([m]) => m))).toEqual(new Set(trackerMethods));
  });

  it.each(badInputs)('%s rejects %j with invalid_argument naming the field', async (method, input, reason) => {
    const call = (tracker.api[method] as (i: unknown) => Promise<unknown>)(input);
    await expect(call).rejects.toMatchObject({ name: 'TrackerError', code: 'invalid_argument', message: expect.stringMatching(reason) });
  });

  it('a policy out of range is refused at start-up, before the outbox opens', async () => {
    const dataDir = join(dir.path, 'bad-policy');
    const start = createTracker(
      { clock, capturer: { module: syntheticCapturerModule }, idle, windows: idle },
      { dataDir, projects, policy: { screenshotsPerSlot: 9 } },
    );
    await expect(start).rejects.toThrow(/screenshotsPerSlot/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('well-formed calls about things that do not exist get not_found', async () => {
    await expect(tracker.api['timer.start']({ projectId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(tracker.api['screenshots.delete']({ id: v7 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(tracker.api['idle.decide']({ spanId: v7, decision: 'keep' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(tracker.api['sync.retry']({ id: v7 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(tracker.api['screenshots.image']({ id: v7 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a tracker started without a session service is signed out and says why it cannot sign in (unavailable), never a crash', async () => {
    expect(await tracker.api['session.get']({})).toEqual({ state: 'signed-out' });
    expect(await tracker.api['session.signOut']({ confirm: true })).toEqual({ state: 'signed-out' });
    for (const call of [
      () => tracker.api['session.signIn']({ serverUrl: 'https://stint.example', email: 'a@b.co', password: 'pw' }),
      () => tracker.api['session.enroll']({ serverUrl: 'https://stint.example', token: 'enroll-token-123' }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/without a session service/) });
  });
});

describe('createTracker: timer, capture and the outbox', () => {
  it('works offline: start, one screenshot per display, delete within the grace window only, stop', async () => {
    const started = await tracker.api['timer.start']({ projectId: PROJECT });
    expect(started.running).toMatchObject({ projectId: PROJECT, taskId: null, startedAt: new Date(T0).toISOString() });
    expect(started.sync.state).toBe('signed-out');
    expect(await tracker.captureNow()).toBe(2);
    const recent = await tracker.api['screenshots.recent']({});
    expect(recent.map((s) => s.displayId).sort()).toEqual(['synthetic-0', 'synthetic-1']);
    expect(recent[0]!.thumbnailDataUrl).toMatch(/^data:image\/webp;base64,/);
    expect((await tracker.api['status.get']({})).queue).toMatchObject({ screenshots: 2, ops: 1, dead: 0 });

    await tracker.api['screenshots.delete']({ id: recent[0]!.id });
    const files = readdirSync(join(dir.path, 'data', 'screenshots'));
    expect(files.some((f) => f.startsWith(recent[0]!.id))).toBe(false);
    expect(files.filter((f) => f.startsWith(recent[1]!.id))).toHaveLength(2);

    await clock.advance(601_000);
    await expect(tracker.api['screenshots.delete']({ id: recent[1]!.id })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringMatching(/delete window .* closed/),
    });
    const stopped = await tracker.api['timer.stop']({});
    expect(stopped.running).toBeNull();
    expect(stopped.todaySeconds).toBe(601);
    const ops = tracker.queue.claimOps(100, 1000, clock.now()).map((j) => j.op);
    expect(ops.map((o) => o.kind)).toEqual(expect.arrayContaining(['entry.upsert', 'screenshot.delete', 'activity.minute']));
    expect(ops.filter((o) => o.kind === 'entry.upsert').at(-1)).toMatchObject({ entry: { stopReason: 'user', endedAt: new Date(T0 + 601_000).toISOString() } });
    expect(ops.find((o) => o.kind === 'screenshot.delete')).toMatchObject({ screenshotId: recent[0]!.id });
  });

  it('a plugged-in sync engine is told of each durable capture and of the network coming back, and started and stopped with the tracker', async () => {
    await tracker.shutdown();
    const calls: string[] = [];
    tracker = await createTracker(
      {
        clock,
        capturer: { module: syntheticCapturerModule, options: { displays: 1, failFile: failFile() } },
        idle,
        windows: idle,
        sync: ({ queue }) => ({
          start: () => void calls.push('start'),
          stop: async () => void calls.push('stop'),
          status: () => ({ state: 'idle', lastSuccessAt: null, lastError: null }),
          // What the engine would upload right now: the capture is already claimable when notify() runs.
          notify: () => void calls.push(`notify:${queue.claimScreenshots(10, 1, clock.now()).length}`),
          networkUp: () => void calls.push('networkUp'),
        }),
      },
      { dataDir: join(dir.path, 'synced'), projects, policy: { screenshotsPerSlot: 0 } },
    );
    await tracker.api['timer.start']({ projectId: PROJECT });
    expect(await tracker.captureNow()).toBe(1);
    // The shell's network hint: "back" asks the engine to probe now, "down" is left to the engine.
    tracker.networkHint(false);
    tracker.networkHint(true);
    await tracker.shutdown();
    expect(calls).toEqual(['start', 'notify:1', 'networkUp', 'stop']);
    tracker = await createTracker(
      { clock, capturer: { module: syntheticCapturerModule, options: { displays: 1 } }, idle, windows: idle },
      { dataDir: join(dir.path, 'after'), projects, policy: { screenshotsPerSlot: 0 } },
    );
  });

  it('a failing capture is reported and the tracker keeps capturing once it works again', async () => {
    await tracker.api['timer.start']({ projectId: PROJECT });
    writeFileSync(failFile(), 'import: unable to read X window image');
    expect(await tracker.captureNow()).toBe(0);
    expect(events).toContainEqual(expect.objectContaining({ type: 'capture-failed', reason: 'import: unable to read X window image' }));
    expect((await tracker.api['status.get']({})).lastCaptureError).toBe('import: unable to read X window image');
    rmSync(failFile());
    expect(await tracker.captureNow()).toBe(2);
    expect((await tracker.api['status.get']({})).lastCaptureError).toBeNull();
  });
});

describe('createTracker: activity and idle time (injected clock, scripted input)', () => {
  it('input makes minutes active, silence makes them idle; no idle span before the threshold; app names without titles', async () => {
    await tracker.api['timer.start']({ projectId: PROJECT });
    await work(120);
    await clock.advance(180_000); // 3 silent minutes: below the default 5-minute idle threshold
    const pending = await tracker.api['idle.pending']({});
    expect(pending).toEqual([]);
    const minutes = tracker.queue.claimOps(100, 1000, clock.now()).flatMap((j) => (j.op.kind === 'activity.minute' ? [j.op.minute] : []));
    expect(minutes.slice(0, 2).map((m) => m.activeSeconds)).toEqual([60, 60]);
    expect(minutes.slice(2).every((m) => m.activeSeconds <= 2 && m.trackedSeconds === 60)).toBe(true);
    expect(minutes[0]!.apps).toEqual([{ app: 'editor', seconds: 60 }]);
  });

  it.each(['keep', 'discard', 'assign'] as const)('an idle span past the threshold waits for a decision; %s ends right', async (decision) => {
    await tracker.shutdown();
    await open({ idleThresholdSeconds: 60 });
    await tracker.api['timer.start']({ projectId: PROJECT });
    await work(60);
    const idleFrom = clock.now() - 1000;
    await clock.advance(90_000);
    const opened = events.find((e) => e.type === 'idle');
    expect(opened).toMatchObject({ span: { startedAt: new Date(idleFrom).toISOString(), endedAt: null } });
    expect((await tracker.api['status.get']({})).pendingIdle).toBe(true);
    await work(30);
    const [span] = await tracker.api['idle.pending']({});
    expect(span!.endedAt).toBe(new Date(idleFrom + 91_000).toISOString());
    const status = await tracker.api['idle.decide']({ spanId: span!.id, decision, projectId: decision === 'assign' ? OTHER : null });
    const elapsed = (clock.now() - T0) / 1000;
    expect(status.pendingIdle).toBe(false);
    expect(status.running?.projectId).toBe(PROJECT);
    expect(status.todaySeconds).toBe(decision === 'discard' ? elapsed - 91 : elapsed);
    const ops = tracker.queue.claimOps(500, 1000, clock.now()).map((j) => j.op);
    expect(ops.find((o) => o.kind === 'idle.decision')).toMatchObject({ span: { decision, endedAt: span!.endedAt } });
    const upserts = ops.flatMap((o) => (o.kind === 'entry.upsert' ? [o.entry] : []));
    if (decision === 'keep') expect(new Set(upserts.map((e) => e.id)).size).toBe(1);
    else {
      expect(upserts).toContainEqual(expect.objectContaining({ endedAt: span!.startedAt, stopReason: 'idle', projectId: PROJECT }));
      expect(upserts).toContainEqual(expect.objectContaining({ startedAt: span!.endedAt, endedAt: null, projectId: PROJECT }));
      if (decision === 'assign')
        expect(upserts).toContainEqual(expect.objectContaining({ projectId: OTHER, startedAt: span!.startedAt, endedAt: span!.endedAt }));
    }
    await expect(tracker.api['idle.decide']({ spanId: span!.id, decision: 'keep' })).rejects.toMatchObject({ code: 'failed_precondition' });
  });
});

describe('createTracker: idle spans at the edges of an entry', () => {
  it('idle since before the timer started: the span starts with the entry, assign moves only tracked time', async () => {
    await tracker.shutdown();
    await open({ idleThresholdSeconds: 60 });
    await clock.advance(300_000); // no input for 5 minutes, timer off
    const started = await tracker.api['timer.start']({ projectId: PROJECT });
    await clock.advance(30_000);
    await work(5);
    const [span] = await tracker.api['idle.pending']({});
    expect(span!.startedAt).toBe(started.running!.startedAt);
    await tracker.api['idle.decide']({ spanId: span!.id, decision: 'assign', projectId: OTHER });
    const upserts = tracker.queue.claimOps(500, 1000, clock.now()).flatMap((j) => (j.op.kind === 'entry.upsert' ? [j.op.entry] : []));
    expect(upserts).toContainEqual(expect.objectContaining({ projectId: OTHER, startedAt: started.running!.startedAt, endedAt: span!.endedAt }));
    expect((await tracker.api['status.get']({})).todaySeconds).toBe(35);
  });

  it('a span decided while the user is still away ends at the decision; idling on opens a new span from there', async () => {
    await tracker.shutdown();
    await open({ idleThresholdSeconds: 60 });
    await tracker.api['timer.start']({ projectId: PROJECT });
    await work(60);
    await clock.advance(90_000);
    const [first] = await tracker.api['idle.pending']({});
    expect(first!.endedAt).toBeNull();
    await tracker.api['idle.decide']({ spanId: first!.id, decision: 'discard' });
    const decidedAt = clock.now();
    await clock.advance(120_000);
    const [second, ...more] = await tracker.api['idle.pending']({});
    expect(more).toEqual([]);
    expect(second!.startedAt).toBe(new Date(decidedAt).toISOString());
    await work(5);
    await tracker.api['idle.decide']({ spanId: second!.id, decision: 'discard' });
    // Tracked: the 60 s of work before the first span and the 5 s after the second.
    expect((await tracker.api['status.get']({})).todaySeconds).toBe(59 + 5);
  });

  it('a crash during an idle span: the span ends at the last heartbeat and discard removes it', async () => {
    await tracker.shutdown();
    await open({ idleThresholdSeconds: 60 });
    await tracker.api['timer.start']({ projectId: PROJECT });
    await work(20);
    await clock.advance(125_000); // idle from +19 s; heartbeats every 10 s up to +140 s
    // The process dies here (no shutdown) and comes back an hour later.
    const later = createFakeClock(T0 + 3_600_000);
    const restarted = await createTracker(
      { clock: later, capturer: { module: syntheticCapturerModule }, idle: scriptedIdle(later), windows: idle },
      { dataDir: join(dir.path, 'data'), projects, policy: { screenshotsPerSlot: 0, idleThresholdSeconds: 60 } },
    );
    try {
      const [span] = await restarted.api['idle.pending']({});
      expect(span).toMatchObject({ startedAt: new Date(T0 + 19_000).toISOString(), endedAt: new Date(T0 + 140_000).toISOString() });
      expect((await restarted.api['status.get']({})).todaySeconds).toBe(140);
      const after = await restarted.api['idle.decide']({ spanId: span!.id, decision: 'discard' });
      expect(after).toMatchObject({ running: null, todaySeconds: 19 });
    } finally {
      await restarted.shutdown();
    }
  });
});

describe('createTracker: recovery at start-up', () => {
  it('an entry left open by a crash ends at its last heartbeat, not stretched over the downtime', async () => {
    await tracker.api['timer.start']({ projectId: PROJECT });
    await clock.advance(35_000); // heartbeats at +10, +20, +30 s
    // The process "dies" here: no shutdown. A new process starts an hour later on the same data.
    const later = createFakeClock(T0 + 3_600_000);
    const restarted = await createTracker(
      { clock: later, capturer: { module: syntheticCapturerModule }, idle: scriptedIdle(later), windows: idle },
      { dataDir: join(dir.path, 'data'), projects, policy: { screenshotsPerSlot: 0 } },
    );
    try {
      const status = await restarted.api['status.get']({});
      expect(status.running).toBeNull();
      expect(status.todaySeconds).toBe(30);
      const last = restarted.queue.claimOps(100, 1000, later.now()).map((j) => j.op).filter((o) => o.kind === 'entry.upsert').at(-1);
      expect(last).toMatchObject({ entry: { endedAt: new Date(T0 + 30_000).toISOString(), stopReason: 'crash' } });
    } finally {
      await restarted.shutdown();
    }
  });

  it('files of uploaded screenshots are deleted (keepLocalDays 0), rows stay as done', async () => {
    await tracker.api['timer.start']({ projectId: PROJECT });
    await tracker.captureNow();
    const [job] = tracker.queue.claimScreenshots(1, 60_000, clock.now());
    tracker.queue.markScreenshotDone(job!.id, clock.now());
    await tracker.shutdown();
    await open();
    const names = readdirSync(join(dir.path, 'data', 'screenshots'));
    expect(names.some((n) => n.startsWith(job!.id))).toBe(false);
    expect(names).toHaveLength(2); // the other display's full image and thumbnail, not yet uploaded
    const recent = await tracker.api['screenshots.recent']({});
    expect(recent.find((s) => s.id === job!.id)).toMatchObject({ state: 'done', thumbnailDataUrl: null });
  });

  it('screenshots.image gives the full-size local file as a data: URL; status counts this week and the review queue', async () => {
    await tracker.shutdown();
    await open({ reviewMinutes: 15 });
    await tracker.api['timer.start']({ projectId: PROJECT });
    await tracker.captureNow();
    const [shot] = await tracker.api['screenshots.recent']({ limit: 1 });
    const image = await tracker.api['screenshots.image']({ id: shot!.id });
    expect(image).toMatchObject({ id: shot!.id, width: shot!.width, height: shot!.height });
    expect(image.dataUrl).toMatch(/^data:image\/webp;base64,/);
    expect(image.dataUrl.length).toBeGreaterThan(shot!.thumbnailDataUrl!.length - 1);
    expect(new Date(shot!.deletableUntil).getTime()).toBe(new Date(shot!.takenAt).getTime() + 15 * 60_000); // longer than the 10-min grace
    await clock.advance(120_000);
    const during = await tracker.api['status.get']({});
    expect(during).toMatchObject({ inReview: 2, todaySeconds: 120, weekSeconds: 120 });
    await clock.advance(13 * 60_000);
    expect((await tracker.api['status.get']({})).inReview).toBe(0);
  });

  it('an orphan image file nothing can decode is kept aside and the tracker still starts', async () => {
    await tracker.shutdown();
    const name = `${newId(T0)}.screen.webp`;
    writeFileSync(join(dir.path, 'data', 'screenshots', name), 'not an image');
    await open();
    expect(tracker.recovery).toMatchObject({ unreadableFiles: 1, orphansAdopted: 0 });
    expect(readdirSync(join(dir.path, 'data', 'screenshots'))).toEqual([`${name}.unreadable`]);
    expect(await tracker.api['screenshots.recent']({})).toEqual([]);
  });

  it('a corrupt database is moved aside, never wiped, and rebuilt from the image files', async () => {
    await tracker.api['timer.start']({ projectId: PROJECT });
    await tracker.captureNow();
    await tracker.shutdown();
    const dbFile = join(dir.path, 'data', 'outbox.db');
    writeFileSync(dbFile, Buffer.alloc(8192, 0x5a));
    await open();
    expect(tracker.recovery.corruptMovedTo).toMatch(/outbox\.db\.corrupt-/);
    expect(existsSync(tracker.recovery.corruptMovedTo!)).toBe(true);
    expect(tracker.recovery.orphansAdopted).toBe(2);
    const recent = await tracker.api['screenshots.recent']({});
    expect(recent).toHaveLength(2);
    expect(recent.every((s) => s.state === 'captured' && s.width === 64 && s.thumbnailDataUrl)).toBe(true);
  });
});
