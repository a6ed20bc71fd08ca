import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrackerError, trackerMethods, type TrackerEvent, type TrackerMethod } from '../../shared/tracker-api';
import { newId } from '../../shared/ids';
import { createPortClient, type PortClient } from './port-transport';
import { forkChannel } from './process-channel';
import { tempDir } from '../test-support/temp-dir';
import { MessageChannel } from 'node:worker_threads';
import { runCore } from '../core-process/run-core';
import { syntheticCapturerModule } from '../test-support/synthetic.capturer';

const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const CHILD = new URL('./test-support/fork-core.ts', import.meta.url).pathname;
const NOWHERE = 'http://127.0.0.1:9';

let dir: ReturnType<typeof tempDir>;
let child: ChildProcess;
let client: PortClient;
let idleMs = 0;
let loginItem = { on: false, refuse: null as string | null, asked: [] as Array<boolean | undefined> };
const events: TrackerEvent[] = [];

beforeEach(async () => {
  dir = tempDir();
  events.length = 0;
  idleMs = 0;
  loginItem = { on: false, refuse: null, asked: [] };
  child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, STINT_DATA_DIR: dir.path, STINT_LOGIN_ITEM: 'shell' }, stdio: 'inherit' });
  const answerLoginItem = (set: boolean | undefined) => {
    loginItem.asked.push(set);
    if (set !== undefined && loginItem.refuse) throw new Error(loginItem.refuse);
    if (set !== undefined) loginItem.on = set;
    return loginItem.on;
  };
  client = createPortClient(forkChannel(child), { idleMs: () => idleMs, loginItem: answerLoginItem });
  client.onEvent((e) => events.push(e));
  await client.ready;
});
afterEach(async () => {
  client.close();
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.disconnect();
  });
  dir.remove();
});

async function until<T>(what: string, get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`waited in vain for ${what}`);
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TrackerError);

describe('the core process over the port transport (a forked child standing in for the utilityProcess)', () => {
  it('carries every TrackerApi method, its validated output and its reasoned failures', async () => {
    const { api } = client;
    const seen = new Set<TrackerMethod>();
    const call = async <K extends TrackerMethod>(m: K, input: Parameters<(typeof api)[K]>[0]) => {
      seen.add(m);
      return (api[m] as (i: unknown) => Promise<unknown>)(input);
    };
    expect(await call('projects.list', {})).toEqual([{ id: PROJECT, name: 'Local', tasks: [] }]);
    expect(((await call('timer.start', { projectId: PROJECT })) as { running: { projectId: string } }).running.projectId).toBe(PROJECT);
    expect(((await call('status.get', {})) as { running: unknown }).running).not.toBeNull();
    child.send({ test: 'capture' });
    const shot = await until('a capture event', () => events.find((e) => e.type === 'capture'));
    const id = shot.type === 'capture' ? shot.screenshot.id : '';
    expect(((await call('screenshots.recent', { limit: 5 })) as Array<{ id: string }>).map((s) => s.id)).toContain(id);
    expect(((await call('screenshots.image', { id })) as { dataUrl: string }).dataUrl).toMatch(/^data:image\//);
    expect(await call('idle.pending', {})).toEqual([]);
    expect(((await call('settings.update', { deviceName: 'Laptop 7' })) as { deviceName: string }).deviceName).toBe('Laptop 7');
    expect(((await call('settings.get', {})) as { deviceName: string }).deviceName).toBe('Laptop 7');
    expect(await call('sync.deadLetters', {})).toEqual([]);
    expect(await call('sync.retry', {})).toEqual({ ok: true });
    expect(await call('session.get', {})).toEqual({ state: 'signed-out' });
    expect(await call('session.signOut', {})).toEqual({ state: 'signed-out' });
    // Signed out, there is no session to ask the server with: said in words.
    expect(await failure(call('fleet.list', {}))).toMatchObject({ code: 'failed_precondition', message: 'sign in as an admin of your organisation to see its devices' });
    for (const m of ['session.signIn', 'session.enroll'] as const) {
      const input = m === 'session.signIn' ? { serverUrl: NOWHERE, email: 'a@example.com', password: 'pw' } : { serverUrl: NOWHERE, token: 'enroll-0123456789' };
      const err = await failure(call(m, input as never));
      expect(err).toBeInstanceOf(TrackerError);
      expect(err?.message).toMatch(/127\.0\.0\.1:9/);
    }
    // The manager's reads go out with the core's session: signed out, each says so (the code crosses the port).
    const day = { userId: PROJECT, date: '2026-01-05', tz: 'UTC' };
    for (const [m, input] of [
      ['manager.members', {}],
      ['manager.timeline', day],
      ['manager.totals', day],
      ['manager.now', {}],
      ['manager.exportCsv', { from: '2026-01-05', to: '2026-01-05', tz: 'UTC' }],
      ['manager.fullImage', { screenshotId: id, fullUrl: `${NOWHERE}/v1/screenshots/${id}/full` }],
    ] as const) {
      const refused = await failure(call(m, input as never));
      expect(refused?.code, m).toBe('failed_precondition');
      expect(refused?.message, m).toMatch(/not signed in/);
    }
    const gone = await failure(call('idle.decide', { spanId: newId(), decision: 'keep' }));
    expect(gone?.code).toBe('not_found');
    expect(await call('screenshots.delete', { id })).toEqual({ ok: true });
    expect(((await call('timer.stop', {})) as { running: unknown }).running).toBeNull();
    expect([...seen].sort()).toEqual([...trackerMethods].sort());
  });

  it('start at login is the shell\'s: the core asks for it, flips it there, and says so when the shell refuses', async () => {
    expect((await client.api['settings.get']({})).autoStart).toEqual({ available: true, enabled: false, unavailableReason: null });
    expect((await client.api['settings.update']({ autoStart: true })).autoStart.enabled).toBe(true);
    expect(loginItem.on).toBe(true);
    loginItem.refuse = 'login items are managed by your organisation';
    const err = await failure(client.api['settings.update']({ autoStart: false }));
    expect(err?.code).toBe('unavailable');
    expect(err?.message).toMatch(/could not be turned off: the system did not remove Stint from the login items/);
    expect(loginItem.on).toBe(true);
    expect(loginItem.asked).toEqual([undefined, true, undefined, false, undefined]);
    const wrong = await failure(client.api['settings.update']({ autoStart: 'yes' as never }));
    expect(wrong?.code).toBe('invalid_argument');
    expect(wrong?.issues?.[0]?.path).toBe('autoStart');
  });

  it('answers bad input with invalid_argument and the field, from the core side', async () => {
    const err = await failure(client.api['timer.start']({ projectId: 'not-a-uuid' }));
    expect(err?.code).toBe('invalid_argument');
    expect(err?.issues?.[0]?.path).toBe('projectId');
  });

  it('carries the events: status, capture, capture-failed, and idle time asked of the host', async () => {
    await client.api['timer.start']({ projectId: PROJECT });
    await until('a status event', () => events.find((e) => e.type === 'status'));
    child.send({ test: 'capture' });
    await until('a capture event', () => events.find((e) => e.type === 'capture'));
    writeFileSync(join(dir.path, 'fail-capture'), 'display gone');
    child.send({ test: 'capture' });
    const failed = await until('a capture-failed event', () => events.find((e) => e.type === 'capture-failed'));
    expect(failed.type === 'capture-failed' && failed.reason).toMatch(/display gone/);
    idleMs = 60 * 60_000;
    const idle = await until('an idle event', () => events.find((e) => e.type === 'idle'));
    expect(idle.type === 'idle' && idle.span.endedAt).toBeNull();
  });

  it('quit: shutdown closes the running entry cleanly and says stopped; the next start finds nothing to recover', async () => {
    await client.api['timer.start']({ projectId: PROJECT });
    const stopped = new Promise<unknown>((resolve) => child.on('message', (m: { kind?: string }) => m?.kind === 'stopped' && resolve(m)));
    client.host({ type: 'shutdown' });
    expect(await stopped).toEqual({ kind: 'stopped', clean: true });
    const { port1, port2 } = new MessageChannel();
    const logs: string[] = [];
    const again = await runCore({
      channel: { post: (m) => port2.postMessage(m), onMessage: (l) => (port2.on('message', l), () => void port2.off('message', l)) },
      dataDir: dir.path,
      capturer: { module: syntheticCapturerModule, options: {} },
      windows: { current: async () => null },
      env: {},
      policyPath: join(dir.path, 'policy.json'),
      projects: [{ id: PROJECT, name: 'Local', tasks: [] }],
      log: (l) => logs.push(l),
    });
    try {
      const status = await again.tracker.api['status.get']({});
      expect(status.running).toBeNull();
      expect(logs.filter((l) => /recovered: entry/.test(l))).toEqual([]);
    } finally {
      await again.stop();
      port1.close();
    }
  });
});
