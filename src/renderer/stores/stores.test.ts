import { describe, expect, it } from 'vitest';
import { TrackerError } from '../../shared/tracker-error';
import { baseStatus, fakeTracker } from '../test-support/fake-tracker';
import { createAppStores } from './app-stores';
import { createIdleStore, idleMinutes } from './idle.store';
import { createSessionStore } from './session.store';
import { createStatusStore } from './status.store';
import { syncInWords, type SyncWordsInput } from './sync-words';
import { createTimerStore, formatDuration, formatElapsed, formatTracked } from './timer.store';
import { canDelete, createScreenshotsStore } from './screenshots.store';
import { createSseParser } from '../bridge/sse-parser';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const SPAN = '019b8c1e-0000-7000-8000-000000000001';
const SHOT = '019b8c1e-0000-7000-8000-000000000002';
const T = Date.UTC(2026, 0, 5, 14, 30);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const words = (o: Partial<SyncWordsInput>) => syncInWords({ status: baseStatus(), connection: 'up', offlineSince: null, now: T, formatTime: hhmm, ...o });
const queue = (screenshots: number, ops: number, oldestUnsyncedSeconds: number | null, dead = 0) => ({ screenshots, ops, dead, bytesPending: 0, oldestUnsyncedSeconds });

describe('the sync state in words', () => {
  it('says all synced, what waits and since when, offline since when, signed out, tracker not running', () => {
    expect(words({})).toBe('All synced');
    expect(words({ status: baseStatus({ queue: queue(4, 8, 28 * 60) }) })).toBe('12 waiting, the oldest from 14:02');
    expect(words({ status: baseStatus({ queue: queue(0, 0, null, 2) }) })).toBe('All synced; 2 could not be sent');
    expect(words({ status: baseStatus({ sync: { state: 'offline', lastSuccessAt: null, lastError: 'ECONNREFUSED' } }), offlineSince: Date.UTC(2026, 0, 5, 14, 5) })).toBe('Offline since 14:05');
    expect(words({ status: baseStatus({ queue: queue(1, 2, 60), sync: { state: 'offline', lastSuccessAt: '2026-01-05T14:05:00.000Z', lastError: null } }) })).toBe(
      'Offline since 14:05 — 3 waiting, the oldest from 14:29',
    );
    expect(words({ status: baseStatus({ sync: { state: 'signed-out', lastSuccessAt: null, lastError: null } }) })).toBe('Signed out');
    expect(words({ connection: 'down' })).toBe('Tracker not running');
    expect(words({ status: null })).toBe('Loading…');
  });
});

describe('status store', () => {
  it('takes status from calls and events, remembers when it went offline, flags captures', async () => {
    let now = T;
    const f = fakeTracker({ 'status.get': () => baseStatus({ todaySeconds: 60 }) });
    const store = createStatusStore(f.api, () => now);
    await store.getState().load();
    expect(store.getState().status?.todaySeconds).toBe(60);
    const offline = baseStatus({ sync: { state: 'offline', lastSuccessAt: null, lastError: null } });
    store.getState().apply({ type: 'status', status: offline });
    now += 60_000;
    store.getState().apply({ type: 'status', status: offline });
    expect(store.getState().offlineSince).toBe(T);
    store.getState().apply({ type: 'status', status: baseStatus() });
    expect(store.getState().offlineSince).toBeNull();
    store.getState().apply({ type: 'capture', screenshot: { id: SHOT, takenAt: new Date(now).toISOString(), displayId: ':0', width: 8, height: 8, state: 'captured', deletableUntil: new Date(now).toISOString() } });
    expect(store.getState().lastCaptureAt).toBe(now);
  });

  it('a failing call leaves the reason in words', async () => {
    const store = createStatusStore(fakeTracker({}).api);
    await store.getState().load();
    expect(store.getState().error).toMatch(/status.get not scripted/);
  });
});

describe('timer store', () => {
  const projects = [{ id: PROJECT, name: 'Website', tasks: [] }];
  it('refuses to start without a project, starts and stops through the core, formats totals', async () => {
    const running = { id: SPAN, projectId: PROJECT, taskId: null, startedAt: new Date(T).toISOString() };
    const f = fakeTracker({ 'projects.list': () => projects, 'timer.start': () => baseStatus({ running }), 'timer.stop': () => baseStatus({ todaySeconds: 3900 }) });
    const status = createStatusStore(f.api);
    const timer = createTimerStore(f.api, status);
    await timer.getState().loadProjects();
    expect(timer.getState().projects).toEqual(projects);
    await timer.getState().start();
    expect(timer.getState().error).toBe('Pick a project first');
    timer.getState().pick(PROJECT);
    await timer.getState().start();
    expect(status.getState().status?.running?.projectId).toBe(PROJECT);
    expect(f.calls.at(-1)).toEqual({ method: 'timer.start', input: { projectId: PROJECT, taskId: null } });
    await timer.getState().stop();
    expect(formatDuration(status.getState().status!.todaySeconds)).toBe('1 h 05 min');
    expect(formatDuration(59)).toBe('0 min');
    // The totals say a first minute in seconds rather than "0 min" while the clock already runs.
    expect([0, 1, 59, 60, 3_900].map(formatTracked)).toEqual(['0 min', '1 s', '59 s', '1 min', '1 h 05 min']);
    expect(formatElapsed(new Date(T).toISOString(), T + 3_723_000)).toBe('1:02:03');
  });

  it('an unknown project comes back as the core words it', async () => {
    const f = fakeTracker({ 'timer.start': () => { throw new TrackerError('not_found', `unknown project ${PROJECT}`); } });
    const timer = createTimerStore(f.api, createStatusStore(f.api));
    timer.getState().pick(PROJECT);
    await timer.getState().start();
    expect(timer.getState()).toMatchObject({ busy: false, error: `unknown project ${PROJECT}` });
  });
});

describe('idle store', () => {
  it('decides the oldest pending span: keep, discard, or assign with a project', async () => {
    const span = { id: SPAN, entryId: null, startedAt: new Date(T).toISOString(), endedAt: new Date(T + 6 * 60_000).toISOString() };
    const f = fakeTracker({ 'idle.pending': () => [span], 'idle.decide': () => baseStatus({ todaySeconds: 10 }) });
    const status = createStatusStore(f.api);
    const idle = createIdleStore(f.api, status);
    await idle.getState().load();
    expect(idleMinutes(idle.getState().pending[0]!, T)).toBe(6);
    await idle.getState().decide({ decision: 'assign', projectId: PROJECT });
    expect(f.calls.at(-1)).toEqual({ method: 'idle.decide', input: { spanId: SPAN, decision: 'assign', projectId: PROJECT, taskId: null } });
    expect(idle.getState().pending).toEqual([]);
    expect(status.getState().status?.todaySeconds).toBe(10);
  });
});

describe('app stores', () => {
  it('enrolling swaps the projects to pick from: the local project and its pick are gone, the server\'s are there', async () => {
    const local = { id: SHOT, name: 'Local project', tasks: [] };
    let signedIn = false;
    const f = fakeTracker({
      'projects.list': () => (signedIn ? [{ id: PROJECT, name: 'Website', tasks: [] }] : [local]),
      'session.get': () => ({ state: 'signed-out' }),
      'session.enroll': () => {
        signedIn = true;
        return { state: 'signed-in', user: { id: SPAN, email: 'emma@example.org', name: 'Emma' }, role: 'employee', org: { id: SPAN, name: 'Org' }, serverUrl: 'http://127.0.0.1:1' };
      },
    });
    const app = createAppStores(f.bridge);
    await app.session.getState().load();
    await app.timer.getState().loadProjects();
    app.timer.getState().pick(local.id);
    await app.session.getState().enroll({ serverUrl: 'http://127.0.0.1:1', token: 'x'.repeat(32) });
    await expect.poll(() => app.timer.getState().projects?.map((p) => p.name)).toEqual(['Website']);
    expect(app.timer.getState().projectId).toBeNull();
  });
});

describe('screenshots store', () => {
  it('lists, opens full size, deletes within the window only', async () => {
    const shot = { id: SHOT, takenAt: new Date(T).toISOString(), displayId: ':0', width: 8, height: 8, state: 'captured' as const, thumbnailDataUrl: null, deletableUntil: new Date(T + 600_000).toISOString() };
    const f = fakeTracker({ 'screenshots.recent': () => [shot], 'screenshots.image': () => ({ id: SHOT, dataUrl: 'data:image/webp;base64,AA', width: 8, height: 8 }), 'screenshots.delete': () => ({ ok: true }) });
    const store = createScreenshotsStore(f.api);
    await store.getState().load();
    expect(canDelete(store.getState().shots![0]!, T + 1000)).toBe(true);
    expect(canDelete(store.getState().shots![0]!, T + 600_001)).toBe(false);
    expect(canDelete({ ...shot, state: 'done' }, T + 1000)).toBe(true); // synced: deleted on the server too
    await store.getState().open(SHOT);
    expect(store.getState().viewing).toEqual({ id: SHOT, dataUrl: 'data:image/webp;base64,AA', error: null });
    await store.getState().remove(SHOT);
    expect(store.getState()).toMatchObject({ shots: [], viewing: null });
  });
});

describe('session store', () => {
  it('field errors from the contract land on their fields; unavailable sign-in becomes a notice', async () => {
    const f = fakeTracker({});
    const session = createSessionStore(f.api);
    await session.getState().signIn({ serverUrl: 'ftp://x', email: 'nope', password: '' });
    expect(session.getState().fieldErrors).toEqual({ serverUrl: 'must be an http:// or https:// address', email: 'must be an email address', password: 'enter your password' });
    await session.getState().load();
    expect(session.getState()).toMatchObject({ session: 'unknown', notice: 'session.get not scripted' });
  });
});

describe('app stores over a bridge', () => {
  it('reload everything when the tracker comes back, and say when it went away', async () => {
    const f = fakeTracker({ 'status.get': () => baseStatus({ todaySeconds: 5 }), 'projects.list': () => [], 'screenshots.recent': () => [], 'idle.pending': () => [], 'sync.deadLetters': () => [] });
    const app = createAppStores(f.bridge);
    app.start();
    f.connect('down');
    expect(app.status.getState().connection).toBe('down');
    f.connect('up');
    await app.reloadAll();
    expect(app.status.getState()).toMatchObject({ connection: 'up', status: { todaySeconds: 5 } });
    expect(app.timer.getState().projects).toEqual([]);
  });

  it("asks for the window's data at start, before the event stream is up, and again once it is", async () => {
    const f = fakeTracker({ 'status.get': () => baseStatus({ todaySeconds: 7 }), 'projects.list': () => [], 'screenshots.recent': () => [], 'idle.pending': () => [], 'sync.deadLetters': () => [] });
    const app = createAppStores(f.bridge);
    app.start();
    await expect.poll(() => app.status.getState().status?.todaySeconds).toBe(7);
    const firstLoad = f.calls.length;
    expect(f.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['status.get', 'projects.list', 'screenshots.recent', 'idle.pending', 'session.get', 'sync.deadLetters']));
    f.connect('up');
    await expect.poll(() => f.calls.length).toBe(2 * firstLoad);
  });

  it('the SSE parser yields whole events across chunk borders', () => {
    const got: string[] = [];
    const feed = createSseParser((d) => got.push(d));
    feed(': connected\n\nevent: status\ndata: {"a"');
    feed(':1}\n\nevent: x\r\ndata: 2\r\n\r\n');
    expect(got).toEqual(['{"a":1}', '2']);
  });
});
