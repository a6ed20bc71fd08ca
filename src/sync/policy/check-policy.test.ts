import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../test-support/temp-dir';

// The command IT runs (`npm run check-policy -- <file>`), as a child process; a loopback server answers /healthz.
const CLI = fileURLToPath(new URL('./check-policy.ts', import.meta.url));
let dir: ReturnType<typeof tempDir>;
let stint: Server;
let url: string;
let closedUrl: string;
beforeAll(async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  dir = tempDir();
  stint = createServer((req, res) => void (req.url === '/healthz' ? res.end('{"status":"ok"}') : res.writeHead(404).end()));
  await new Promise<void>((resolve) => stint.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(stint.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => stint.close(resolve));
  dir.remove();
});

const run = (...args: string[]) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err })),
  );
const write = (name: string, content: unknown) => {
  const path = join(dir.path, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const good = () => ({ version: 1, serverUrl: url, enrollmentToken: 'enr_0123456789abcdef', capture: { screenshotsPerSlot: 2, blurScreenshots: true }, locked: ['blurScreenshots'], autoStart: true, updateChannel: 'stable' });

describe('npm run check-policy', () => {
  it('a good file: exit 0 and what it does in one line', async () => {
    const path = write('good.json', good());
    const r = await run(path);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`${path}: OK (server ${url}; enrollment silent, from the file; locked: blurScreenshots, autoStart; update channel stable)\n`);
  });

  it.each([
    ['bad JSON', '{"version": 1,', '(file): is not valid JSON'],
    ['a wrong type', { ...good(), autoStart: 'yes' }, 'autoStart: Invalid input: expected boolean, received string'],
    ['an unknown key', { ...good(), autostart: true }, 'autostart: is not a policy field (unknown key; check its spelling)'],
    ['an out-of-range value', { ...good(), capture: { idleThresholdSeconds: 10 } }, 'capture.idleThresholdSeconds: Too small: expected number to be >=60'],
    ['a lock without a value', { ...good(), locked: ['keepLocalDays'] }, 'locked.0: locks "keepLocalDays" but the file gives it no value'],
    ['an unreachable server URL', () => ({ ...good(), serverUrl: closedUrl }), () => `serverUrl: cannot reach the Stint server at ${closedUrl} (ECONNREFUSED)`],
  ])('%s: exit 1 and the field with its problem', async (what, content, expected) => {
    const line = typeof expected === 'function' ? expected() : expected;
    const r = await run(write(`${what.replaceAll(' ', '-')}.json`, typeof content === 'function' ? content() : content));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`  ${line}`);
  });

  it('every problem of a file is listed, not only the first', async () => {
    const r = await run(write('many.json', { version: 2, capture: { screenshotsPerSlot: -1 }, extra: 1 }));
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/: 3 problems$/),
      '  version: must be 1 (the only version of the policy file)',
      '  capture.screenshotsPerSlot: Too small: expected number to be >=0',
      '  extra: is not a policy field (unknown key; check its spelling)',
    ]);
  });

  it('an unreadable or missing file, and no file named: exit 1 with the reason', async () => {
    const folder = join(dir.path, 'a-folder.json');
    mkdirSync(folder);
    expect(await run(folder)).toMatchObject({ code: 1, err: expect.stringContaining('(file): cannot be read (EISDIR)') });
    expect(await run(join(dir.path, 'missing.json'))).toMatchObject({ code: 1, err: expect.stringContaining('(file): does not exist') });
    expect(await run()).toMatchObject({ code: 1, err: expect.stringContaining('usage: npm run check-policy -- <policy.json> [--offline]') });
  });

  it('--offline skips the server check', async () => {
    expect(await run(write('offline.json', { ...good(), serverUrl: closedUrl }), '--offline')).toMatchObject({ code: 0 });
  });
});
