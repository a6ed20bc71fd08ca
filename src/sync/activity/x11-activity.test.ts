import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startXvfb, type Xvfb } from '../../../test/infra/xvfb';
import { tempDir } from '../test-support/temp-dir';
import { startX11Probe, type X11Probe } from './x11-probe';
import { createActivitySampler } from './activity-sampler';
import { createIdleSpansRepository, type IdleSpan } from '../idle/idle-spans.repository';
import type { MinuteActivity } from './minute-accumulator';
import { systemClock } from '../clock';
import { recoverOutbox } from '../recovery/recover';
import { createEntriesRepository } from '../timer/entries.repository';
import { applyIdleDecision } from '../idle/idle-decision';

const run = promisify(execFile);
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const THRESHOLD_MS = 2500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let x: Xvfb;
let probe: X11Probe;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  x = await startXvfb({ width: 640, height: 480 });
  probe = startX11Probe({ display: x.display, intervalSeconds: 0.2 });
  await probe.ready;
  dir = tempDir();
});
afterAll(async () => {
  probe?.stop();
  await x?.stop();
  dir?.remove();
});

/** Real input through XTEST: the pointer moves and a key is pressed. */
async function type(ms: number) {
  const until = Date.now() + ms;
  for (let i = 0; Date.now() < until && i < 100; i++) {
    await run('xdotool', ['mousemove', String(100 + (i % 2) * 50), '100', 'key', 'shift'], { env: x.env });
    await sleep(200);
  }
}

describe('activity from real X11 input (xdotool, xprintidle)', () => {
  it('input makes seconds active, silence does not, crossing the threshold opens an idle span; keep and discard both end right', async () => {
    // Two outboxes receive the same real span, one keeps it and one discards it.
    const boxes = await Promise.all(['keep', 'discard'].map((n) => recoverOutbox(join(dir.path, n), Date.now())));
    const sides = boxes.map((b) => ({ db: b.db, entries: createEntriesRepository(b.db), spans: createIdleSpansRepository(b.db) }));
    const t0 = Date.now();
    const entryIds = sides.map((s) => s.entries.start(PROJECT, null, t0, t0).id);
    const minutes: MinuteActivity[] = [];
    const transitions: Array<{ type: string; at: number; spanIds: string[] }> = [];
    let open: string[] = [];
    const sampler = createActivitySampler({
      clock: systemClock,
      idle: probe,
      windows: probe,
      tracking: () => 'tracking',
      idleThresholdMs: () => THRESHOLD_MS,
      recordTitles: () => false,
      onMinute: (m) => minutes.push(m),
      onIdle: (t) => {
        if (t.type === 'opened') open = sides.map((s, i) => s.spans.open(entryIds[i]!, t.startedAt).id);
        else sides.forEach((s, i) => s.spans.close(open[i]!, t.endedAt));
        transitions.push({ type: t.type, at: t.type === 'opened' ? t.startedAt : t.endedAt, spanIds: open });
      },
      onError: (err) => {
        throw err;
      },
    });
    const active = () => minutes.reduce((a, m) => a + m.activeSeconds, 0) + (sampler.current()?.activeSeconds ?? 0);
    sampler.start();
    try {
      await type(3200);
      const afterInput = active();
      expect(afterInput).toBeGreaterThanOrEqual(2);
      const lastInput = Date.now();
      // Waits for the span (the threshold is 2.5 s; a loaded box delays the sampler's ticks): the
      // timestamps below say whether it opened at the right instant, not how soon it was seen.
      for (const end = Date.now() + 20_000; Date.now() < end && !transitions.length; ) await sleep(100);
      await sleep(1500);
      expect(active() - afterInput, 'silent seconds counted as active').toBeLessThanOrEqual(2);
      expect(transitions).toHaveLength(1);
      expect(transitions[0]!.type).toBe('opened');
      expect(Math.abs(transitions[0]!.at - lastInput)).toBeLessThan(1500);
      const idleEnd = Date.now();
      await type(1200);
      for (const end = Date.now() + 20_000; Date.now() < end && transitions.length < 2; ) await sleep(100);
      expect(transitions[1]?.type).toBe('closed');
      expect(transitions[1]!.at).toBeGreaterThanOrEqual(idleEnd - 500);
    } finally {
      sampler.stop();
    }

    const decide = (i: number, decision: 'keep' | 'discard') => {
      const s = sides[i]!;
      const span = s.spans.get(transitions[0]!.spanIds[i]!) as IdleSpan;
      applyIdleDecision(s.db, s.entries, s.spans, span, { decision, projectId: null, taskId: null }, Date.now());
      return span;
    };
    const kept = decide(0, 'keep');
    expect(sides[0]!.entries.allOpen().map((e) => e.id)).toEqual([entryIds[0]]);
    const discarded = decide(1, 'discard');
    expect(sides[1]!.entries.get(entryIds[1]!)).toMatchObject({ endedAt: discarded.startedAt, stopReason: 'idle' });
    expect(sides[1]!.entries.allOpen()).toEqual([expect.objectContaining({ startedAt: discarded.endedAt, projectId: PROJECT })]);
    const now = Date.now();
    const spanMs = kept.endedAt! - kept.startedAt;
    expect(sides[0]!.entries.trackedMs(t0, now) - sides[1]!.entries.trackedMs(t0, now)).toBe(spanMs);
    expect(sides.map((s) => s.spans.pending())).toEqual([[], []]);
    boxes.forEach((b) => b.db.close());
  });
});

describe('X11 probe helper process', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  async function gone(pid: number) {
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    return !alive(pid);
  }

  it('goes away with its process even when that process exits without stop()', async () => {
    const probeModule = fileURLToPath(new URL('./x11-probe.ts', import.meta.url));
    const code = `import { startX11Probe } from ${JSON.stringify(probeModule)};
      const p = startX11Probe({ display: ${JSON.stringify(x.display)}, intervalSeconds: 0.2 });
      await p.ready; console.log(p.pid); process.exit(0);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => child.on('exit', r));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('is stopped at once when its display never answers', async () => {
    const p = startX11Probe({ display: ':975', intervalSeconds: 0.2 });
    await expect(p.ready).rejects.toThrow(/xprintidle failed on :975/);
    expect(await gone(p.pid!)).toBe(true);
  });
});
