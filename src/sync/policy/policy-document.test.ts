import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bplistCreator from 'bplist-creator';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir';
import { loadManagedPolicy, parsePolicyDocument } from './managed-policy-source';
import { decodePolicyDocument } from './policy-document';

// What a Jamf / Intune configuration profile for app.stint.tracker puts in /Library/Managed
// Preferences, and what IT writes by hand on Windows: the same policy in each encoding.
const policy = {
  version: 1,
  serverUrl: 'https://stint.example.com',
  enrollmentToken: 'enr_0123456789abcdef',
  capture: { screenshotsPerSlot: 2, blurScreenshots: true, idleThresholdSeconds: 300 },
  locked: ['screenshotsPerSlot', 'serverUrl'],
  autoStart: true,
  updateChannel: 'stable',
};

describe('a policy document in each encoding IT deploys', () => {
  it('a binary property list (as macOS writes managed preferences) is the same policy as the JSON file', () => {
    const bytes = bplistCreator(policy);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('bplist00');
    expect(parsePolicyDocument('/Library/Managed Preferences/app.stint.tracker.plist', bytes)).toEqual({ policy, problems: [] });
  });

  it('an XML property list, and JSON with or without the byte-order mark Windows tools write', () => {
    expect(parsePolicyDocument('/tmp/app.stint.tracker.plist', Buffer.from(plist.build(policy)))).toEqual({ policy, problems: [] });
    expect(parsePolicyDocument('C:\\ProgramData\\Stint\\policy.json', Buffer.from(JSON.stringify(policy)))).toEqual({ policy, problems: [] });
    expect(parsePolicyDocument('C:\\ProgramData\\Stint\\policy.json', Buffer.from(`\uFEFF${JSON.stringify(policy)}`))).toEqual({ policy, problems: [] });
  });

  it.each<[string, Buffer, string, RegExp]>([
    ['a plist value of the wrong type (a string for a number)', bplistCreator({ ...policy, capture: { screenshotsPerSlot: 'two' } }), 'capture.screenshotsPerSlot', /expected number/],
    ['a plist date where a string belongs', Buffer.from(plist.build({ ...policy, serverUrl: new Date('2026-01-01T00:00:00Z') })), 'serverUrl', /expected string/],
    ['a misspelt key in a profile', bplistCreator({ ...policy, autostart: true }), 'autostart', /unknown key/i],
    ['a plist whose top level is an array', Buffer.from(plist.build([policy])), '', /top level is not a dictionary/],
    ['a truncated binary plist', bplistCreator(policy).subarray(0, 40), '', /is not a valid property list/],
    ['XML that is not a property list', Buffer.from('<?xml version="1.0"?><html><body/></html>'), '', /is not a valid property list/],
  ])('%s: refused, naming the field', (_what, bytes, field, words) => {
    const parsed = parsePolicyDocument('/Library/Managed Preferences/app.stint.tracker.plist', bytes);
    expect(parsed.policy).toBeNull();
    expect(parsed.problems).toContainEqual({ field, message: expect.stringMatching(words) });
  });

  it('decides the encoding by the file name: a .json file holding a plist is bad JSON, not a plist', () => {
    expect(decodePolicyDocument('/etc/stint/policy.json', bplistCreator(policy))).toEqual({ problem: expect.stringMatching(/^is not valid JSON/) });
  });

  it('a managed-preferences plist is applied at start-up like the JSON file, and a bad one falls back to its last good copy', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'app.stint.tracker.plist');
      const local = { ...policy, serverUrl: 'http://127.0.0.1:9' };
      writeFileSync(path, bplistCreator(local));
      const probe = async () => null;
      expect(await loadManagedPolicy({ path, dataDir: join(dir.path, 'data'), probe })).toMatchObject({ present: true, policy: local, error: null });
      writeFileSync(path, bplistCreator({ ...local, capture: { screenshotsPerSlot: 9 } }));
      const state = await loadManagedPolicy({ path, dataDir: join(dir.path, 'data'), probe });
      expect(state).toMatchObject({ policy: local, usingLastGood: true });
      expect(state.error).toMatch(/capture\.screenshotsPerSlot: .*<=3.*; using the last good copy of it$/);
    } finally {
      dir.remove();
    }
  });
});
