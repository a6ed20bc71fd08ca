import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { recoverOutbox } from './recover';
import { tempDir } from '../test-support/temp-dir';
import { parseShotName } from '../capture/shot-files';

const src = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
// The child runs from a bundle: a tsx start-up per round would triple the test's time. The
// bundle lives under node_modules/.cache so `sharp` and `better-sqlite3` resolve as installed.
const BUNDLE = join(src('../../../node_modules'), '.cache', `stint-crash-${process.pid}`);
const CHILD = join(BUNDLE, 'crash-child.mjs');

beforeAll(async () => {
  await build({
    entryPoints: {
      'crash-child': src('../test-support/crash-child.ts'),
      'capture-worker': src('../capture/capture-worker.ts'),
      'capture-process': src('../capture/capture-process.ts'),
      'synthetic.capturer': src('../test-support/synthetic.capturer.ts'),
    },
    outdir: BUNDLE,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sharp', 'better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(BUNDLE, { recursive: true, force: true }));
const NAMED = ['file-write', 'after-rename', 'after-insert', 'after-claim'] as const;
const ROUNDS = 100;

interface Round {
  committed: string[];
  signal: NodeJS.Signals | null;
}

/**
 * Runs the child until it dies at `point`, or is killed at a random instant: `killAfterMs` after
 * it is ready, or (fromSpawn) after it was spawned, which lands in start-up recovery too.
 */
function runChild(dataDir: string, point: string | null, killAfterMs: number, fromSpawn = false): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDir], {
      env: {
        ...process.env,
        STINT_FAULT_POINT: point ?? '',
        STINT_CRASH_CAPTURER: pathToFileURL(join(BUNDLE, 'synthetic.capturer.mjs')).href,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: string[] = [];
    let out = '';
    let err = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    if (point === null && fromSpawn) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('committed ')) committed.push(l.slice(10));
        if (l === 'ready' && point === null && !fromSpawn) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code}/${signal} instead of being killed: ${err.slice(-2000)}`));
      else resolve({ committed, signal });
    });
  });
}

describe('crash safety of the capture outbox', () => {
  it(`survives ${ROUNDS} SIGKILLs at named and random points: nothing lost, nothing duplicated, no temp file, no stuck lease`, async () => {
    // Two lanes, each its own data directory crashed over and over (as a real device would be).
    const lanes = await Promise.all([0, 1].map((lane) => crashLane(lane, ROUNDS / 2)));
    for (const committed of lanes) expect(committed).toBeGreaterThan(ROUNDS / 4);
  }, 240_000);
});

async function crashLane(lane: number, rounds: number): Promise<number> {
    const dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const everCommitted = new Set<string>();
    let random = 12345 + lane;
    const rnd = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    try {
      for (let round = 0; round < rounds; round++) {
        const point = round < NAMED.length * 3 ? NAMED[(round + lane) % NAMED.length]! : null;
        const fromSpawn = round % 3 === 0;
        const r = await runChild(dataDir, point, Math.floor(rnd() * (fromSpawn ? 1500 : 250)), fromSpawn);
        r.committed.forEach((id) => everCommitted.add(id));

        // Restart: recovery runs, then the outbox must be whole.
        const outbox = await recoverOutbox(dataDir, Date.now());
        try {
          const rows = outbox.db.prepare(`SELECT id, sha256, state, file_path, files_removed FROM screenshots`).all() as Array<{
            id: string; sha256: string; state: string; file_path: string; files_removed: number;
          }>;
          const ids = new Set(rows.map((x) => x.id));
          for (const id of everCommitted) expect(ids.has(id), `committed ${id} lost in round ${round} (${point ?? 'random'})`).toBe(true);
          expect(new Set(rows.map((x) => x.sha256)).size, 'duplicate screenshot content').toBe(rows.length);
          const files = readdirSync(outbox.shotsDir);
          expect(files.filter((f) => f.endsWith('.tmp')), 'temp files left').toEqual([]);
          for (const f of files) {
            const p = parseShotName(f);
            expect(p, `unexpected file ${f}`).not.toBeNull();
            expect(ids.has(p!.id), `file ${f} without a row`).toBe(true);
          }
          for (const row of rows) {
            if (row.state !== 'dead' && !row.files_removed) expect(existsSync(row.file_path), `row ${row.id} without its file`).toBe(true);
            expect(row.state === 'dead', `row ${row.id} dead: ${row.state}`).toBe(false);
          }
          const leased = outbox.db.prepare(`SELECT count(*) FROM screenshots WHERE state = 'uploading' OR lease_until IS NOT NULL`).pluck().get();
          expect(leased, 'stuck leases').toBe(0);
          const open = outbox.db.prepare(`SELECT count(*) FROM entries WHERE ended_at IS NULL`).pluck().get() as number;
          expect(open, 'more than the last run left open').toBeLessThanOrEqual(1);
          const stretched = outbox.db.prepare(`SELECT count(*) FROM entries WHERE ended_at IS NOT NULL AND ended_at > heartbeat_at`).pluck().get();
          expect(stretched, 'entry closed after its last heartbeat').toBe(0);
        } finally {
          outbox.db.close();
        }
      }
      return everCommitted.size;
    } finally {
      dir.remove();
    }
}
