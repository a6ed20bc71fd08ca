import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../test-support/temp-dir';
import { lastGoodPolicyPath, loadManagedPolicy } from './managed-policy-source';
import { MAC_MANAGED_PREFERENCES, policyFilePath } from './policy-file-path';

// A real HTTP server on loopback stands in for the Stint server's /healthz; a closed port is an unreachable one.
let dir: ReturnType<typeof tempDir>;
let stint: Server;
let url: string;
let closedUrl: string;
beforeEach(async () => {
  dir = tempDir();
  stint = createServer((req, res) => void (req.url === '/healthz' ? res.end('{"status":"ok"}') : res.writeHead(404).end()));
  await new Promise<void>((resolve) => stint.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(stint.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});
afterEach(async () => {
  await new Promise((resolve) => stint.close(resolve));
  dir.remove();
});

const file = () => join(dir.path, 'policy.json');
const dataDir = () => join(dir.path, 'data');
const good = () => ({ version: 1, serverUrl: url, enrollmentToken: 'enr_0123456789abcdef', capture: { screenshotsPerSlot: 2 }, locked: ['screenshotsPerSlot'] });
const load = () => loadManagedPolicy({ path: file(), dataDir: dataDir() });

describe('the managed policy file at start-up', () => {
  it('is found at each OS path, or where STINT_POLICY_FILE says', () => {
    expect(policyFilePath('linux', {})).toBe('/etc/stint/policy.json');
    expect(policyFilePath('darwin', {}, () => false)).toBe('/Library/Application Support/Stint/policy.json');
    // A configuration profile's managed preferences (MDM) win over the JSON file on macOS.
    expect(policyFilePath('darwin', {}, (p) => p === MAC_MANAGED_PREFERENCES)).toBe('/Library/Managed Preferences/app.stint.tracker.plist');
    expect(policyFilePath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Stint\\policy.json');
    expect(policyFilePath('win32', {})).toBe('C:\\ProgramData\\Stint\\policy.json');
    expect(policyFilePath('linux', { STINT_POLICY_FILE: '/tmp/p.json' })).toBe('/tmp/p.json');
  });

  it('absent: nothing is managed and nothing is reported', async () => {
    expect(await load()).toMatchObject({ present: false, policy: null, problems: [], error: null });
  });

  it('valid: applied, and a copy (owner-only: it holds the token) kept in the data dir as the last good one', async () => {
    writeFileSync(file(), JSON.stringify(good()));
    const state = await load();
    expect(state).toMatchObject({ present: true, policy: good(), error: null, usingLastGood: false });
    expect(JSON.parse(readFileSync(lastGoodPolicyPath(dataDir()), 'utf8'))).toEqual(good());
    expect(statSync(lastGoodPolicyPath(dataDir())).mode & 0o777).toBe(0o600);
  });

  const bad: Array<[string, () => void, string, RegExp]> = [
    ['bad JSON', () => writeFileSync(file(), '{ "version": 1, '), '', /is not valid JSON/],
    ['a wrong type', () => writeFileSync(file(), JSON.stringify({ ...good(), capture: { blurScreenshots: 'yes' } })), 'capture.blurScreenshots', /expected boolean/],
    ['an unknown key', () => writeFileSync(file(), JSON.stringify({ ...good(), captur: {} })), 'captur', /unknown key/],
    ['an unknown capture key', () => writeFileSync(file(), JSON.stringify({ ...good(), capture: { screenshotsPerSlot: 2, blur: true } })), 'capture.blur', /unknown key/],
    ['an out-of-range value', () => writeFileSync(file(), JSON.stringify({ ...good(), capture: { screenshotsPerSlot: 7 } })), 'capture.screenshotsPerSlot', /<=3/],
    ['an unreachable server URL', () => writeFileSync(file(), JSON.stringify({ ...good(), serverUrl: closedUrl })), 'serverUrl', /cannot reach the Stint server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
    ['an unreadable file (a folder where the file should be)', () => (rmSync(file(), { force: true }), mkdirSync(file())), '', /cannot be read \(EISDIR\)/],
  ];

  it.each(bad)('%s: named by its field, and the last good copy runs; nothing is deleted', async (_what, write, field, words) => {
    writeFileSync(file(), JSON.stringify(good()));
    await load();
    const copy = readFileSync(lastGoodPolicyPath(dataDir()), 'utf8');
    write();
    const state = await load();
    expect(state.policy).toEqual(good());
    expect(state.usingLastGood).toBe(true);
    expect(state.problems).toContainEqual({ field, message: expect.stringMatching(words) });
    expect(state.error).toMatch(new RegExp(`^policy file ${file().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not applied: ${field ? `${field.replace('.', '\\.')}: ` : ''}`));
    expect(state.error).toMatch(/using the last good copy of it$/);
    expect(readFileSync(lastGoodPolicyPath(dataDir()), 'utf8')).toBe(copy);
    expect(existsSync(file())).toBe(true);
  });

  it.each(bad)('%s with no earlier good copy: said so, and nothing managed runs', async (_what, write, field) => {
    write();
    const state = await load();
    expect(state).toMatchObject({ present: true, policy: null, usingLastGood: false });
    expect(state.problems.map((p) => p.field)).toContain(field);
    expect(state.error).toMatch(/running without it \(there is no earlier good copy\)$/);
  });

  it('a server already used under a good policy is not probed again: offline is not a policy error', async () => {
    writeFileSync(file(), JSON.stringify(good()));
    await load();
    await new Promise((resolve) => stint.close(resolve));
    stint.listen(0);
    expect(await load()).toMatchObject({ policy: good(), error: null });
  });

  it('a server that is not a Stint server is named as such', async () => {
    const other = createServer((_req, res) => void res.writeHead(404).end());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      writeFileSync(file(), JSON.stringify({ ...good(), serverUrl: `http://127.0.0.1:${(other.address() as AddressInfo).port}` }));
      expect((await load()).problems).toEqual([{ field: 'serverUrl', message: expect.stringMatching(/answered HTTP 404 to \/healthz: is it a Stint server\?/) }]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
