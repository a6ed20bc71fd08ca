import { describe, expect, it } from 'vitest';
import { managedPolicySchema, policyProblems } from './managed-policy';

const good = {
  version: 1,
  serverUrl: 'https://stint.example.com',
  enrollmentToken: 'enr_0123456789abcdef',
  capture: { screenshotsPerSlot: 2, blurScreenshots: true, reviewMinutes: 5 },
  locked: ['serverUrl', 'screenshotsPerSlot', 'blurScreenshots'],
  autoStart: true,
  updateChannel: 'stable',
};

const problemsOf = (input: unknown) => {
  const r = managedPolicySchema.safeParse(input);
  return r.success ? [] : policyProblems(r.error);
};

describe('managed policy file contract', () => {
  it('accepts a complete file and a minimal one', () => {
    expect(managedPolicySchema.parse(good)).toEqual(good);
    expect(managedPolicySchema.parse({ version: 1 })).toEqual({ version: 1 });
  });

  it.each([
    [{ ...good, serverUrll: 'x' }, 'serverUrll', 'unknown key'],
    [{ ...good, capture: { screenshotPerSlot: 2 } }, 'capture.screenshotPerSlot', 'unknown key'],
    [{ ...good, capture: { screenshotsPerSlot: 9 } }, 'capture.screenshotsPerSlot', '<=3'],
    [{ ...good, capture: { idleThresholdSeconds: 'five' } }, 'capture.idleThresholdSeconds', 'number'],
    [{ ...good, capture: { blurScreenshots: 'yes' } }, 'capture.blurScreenshots', 'boolean'],
    [{ ...good, version: 2 }, 'version', 'must be 1'],
    [{ ...good, serverUrl: 'stint.example.com' }, 'serverUrl', 'http:// or https://'],
    [{ ...good, locked: ['keepLocalDays'] }, 'locked.0', 'set "capture.keepLocalDays" too'],
    [{ ...good, locked: ['blurScreenshots', 'blurScreenshots'] }, 'locked.1', 'listed twice'],
    [{ ...good, locked: ['deviceName'] }, 'locked.0', ''],
    [{ version: 1, enrollmentToken: 'enr_0123456789' }, 'enrollmentToken', 'needs "serverUrl"'],
    [{ ...good, updateChannel: '../x' }, 'updateChannel', 'must be one of the channels the server publishes: "stable", "beta"'],
    [{ ...good, autoStart: 'on' }, 'autoStart', 'boolean'],
  ])('%o is refused at %s', (input, field, words) => {
    const problems = problemsOf(input);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)?.message).toContain(words);
  });
});
