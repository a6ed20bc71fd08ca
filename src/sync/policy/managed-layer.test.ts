import { describe, expect, it } from 'vitest';
import { capturePolicySchema, defaultCapturePolicy } from '../../shared/policy';
import { managedPolicySchema, POLICY_FILE_LOCK_REASON } from '../../shared/managed-policy';
import { layerCapturePolicy, lockedServerUrl, managedLocks } from './managed-layer';

const file = managedPolicySchema.parse({
  version: 1,
  serverUrl: 'https://stint.example.com',
  capture: { screenshotsPerSlot: 3, blurScreenshots: true, reviewMinutes: 10 },
  locked: ['screenshotsPerSlot', 'blurScreenshots', 'serverUrl'],
  autoStart: true,
});
const effective = (org: Parameters<typeof layerCapturePolicy>[0], managed = file) => capturePolicySchema.parse(layerCapturePolicy(org, managed));

describe('precedence: managed (locked) > org > managed (unlocked) > embedded default', () => {
  it.each([
    ['no org policy yet: every file value', undefined, { screenshotsPerSlot: 3, blurScreenshots: true, reviewMinutes: 10 }],
    ['the org sets a locked field: the file wins', { screenshotsPerSlot: 1, blurScreenshots: false }, { screenshotsPerSlot: 3, blurScreenshots: true, reviewMinutes: 10 }],
    ['the org sets an unlocked field: the org wins', { reviewMinutes: 0, idleThresholdSeconds: 900 }, { screenshotsPerSlot: 3, blurScreenshots: true, reviewMinutes: 0, idleThresholdSeconds: 900 }],
    ['the org sets everything (as the server sends it)', { ...defaultCapturePolicy, keepLocalDays: 7 }, { ...defaultCapturePolicy, keepLocalDays: 7, screenshotsPerSlot: 3, blurScreenshots: true }],
  ])('%s', (_what, org, expected) => {
    expect(effective(org)).toEqual({ ...defaultCapturePolicy, ...expected });
  });

  it('without a file the org policy is all there is', () => {
    expect(capturePolicySchema.parse(layerCapturePolicy({ screenshotsPerSlot: 2 }, null))).toEqual({ ...defaultCapturePolicy, screenshotsPerSlot: 2 });
  });

  it('locks are listed with the reason the UI shows; auto-start forced on is one', () => {
    expect(managedLocks(file)).toEqual(
      ['screenshotsPerSlot', 'blurScreenshots', 'serverUrl', 'autoStart'].map((field) => ({ field, source: 'policy-file', reason: POLICY_FILE_LOCK_REASON })),
    );
    expect(managedLocks(null)).toEqual([]);
    expect(lockedServerUrl(file)).toBe('https://stint.example.com');
    expect(lockedServerUrl({ ...file, locked: [] })).toBeNull();
  });
});
