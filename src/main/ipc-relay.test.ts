import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackerMethods } from '../shared/tracker-api';
import { createTracker, type Tracker } from '../sync/tracker';
import { scriptedIdle } from '../sync/test-support/scripted-idle';
import { syntheticCapturerModule } from '../sync/test-support/synthetic.capturer';
import { tempDir } from '../sync/test-support/temp-dir';
import { systemClock } from '../sync/clock';
import { createIpcRelay, ipcChannels } from './ipc-relay';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const fromApp = { senderFrame: { url: 'app://stint/index.html', parent: null } };

let dir: ReturnType<typeof tempDir>;
let tracker: Tracker;
let calls = 0;

beforeEach(async () => {
  dir = tempDir();
  tracker = await createTracker(
    { capturer: { module: syntheticCapturerModule, options: {} }, idle: scriptedIdle(systemClock), windows: scriptedIdle(systemClock) },
    { dataDir: join(dir.path, 'data'), projects: [{ id: PROJECT, name: 'Local', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
  );
  calls = 0;
});
afterEach(async () => {
  await tracker.shutdown();
  dir.remove();
});

const relayTo = () =>
  createIpcRelay(() => new Proxy(tracker.api, { get: (t, k) => ((calls += 1), t[k as keyof typeof t]) }));

describe('the IPC relay in main', () => {
  it('has one channel per TrackerApi method', () => {
    expect(ipcChannels).toEqual(trackerMethods.map((m) => `stint:${m}`));
  });

  it('relays a valid call from the app\'s top frame to the core', async () => {
    const reply = await relayTo()('timer.start', fromApp, { projectId: PROJECT });
    expect(reply.ok).toBe(true);
    expect(reply.ok && (reply.value as { running: { projectId: string } }).running.projectId).toBe(PROJECT);
  });

  it.each([
    ['a remote page', { url: 'https://evil.example/', parent: null }],
    ['a file: page', { url: 'file:///tmp/x.html', parent: null }],
    ['a subframe of the app', { url: 'app://stint/index.html', parent: {} }],
    ['a frame that is gone', null],
  ])('refuses %s before anything reaches the core', async (_what, senderFrame) => {
    const reply = await relayTo()('timer.start', { senderFrame }, { projectId: PROJECT });
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed_precondition' } });
    expect(!reply.ok && reply.error.message).toMatch(/not the Stint window/);
    expect(calls).toBe(0);
  });

  it.each([
    ['timer.start', { projectId: 'nope' }, 'projectId'],
    ['timer.start', { projectId: PROJECT, extra: 1 }, ''],
    ['screenshots.recent', { limit: 500 }, 'limit'],
    ['session.signIn', { serverUrl: 'ftp://x', email: 'a@b.c', password: 'p' }, 'serverUrl'],
    ['session.enroll', { serverUrl: 'https://x.example', token: 'short' }, 'token'],
  ] as const)('validates %s %j with the shared schema and names the field', async (method, input, field) => {
    const reply = await relayTo()(method, fromApp, input);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    if (field) expect(!reply.ok && reply.error.issues?.map((i) => i.path)).toContain(field);
    expect(calls).toBe(0);
  });

  it('says the core is restarting when it is down', async () => {
    const reply = await createIpcRelay(() => null)('status.get', fromApp, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
