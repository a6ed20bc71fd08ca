import { describe, expect, it } from 'vitest';
import { capturePolicyPatchSchema, capturePolicySchema, defaultCapturePolicy } from './policy';

describe('capture policy contract', () => {
  it('fills every field left out with the embedded default', () => {
    expect(capturePolicySchema.parse({})).toEqual(defaultCapturePolicy);
    expect(capturePolicySchema.parse({ screenshotsPerSlot: 3 })).toEqual({ ...defaultCapturePolicy, screenshotsPerSlot: 3 });
  });

  it('a patch carries only the fields sent, so an update never resets the others', () => {
    expect(capturePolicyPatchSchema.parse({ blurScreenshots: true })).toEqual({ blurScreenshots: true });
    expect(capturePolicyPatchSchema.parse({})).toEqual({});
  });

  it.each([
    [{ screenshotsPerSlot: 4 }, 'screenshotsPerSlot'],
    [{ idleThresholdSeconds: 30 }, 'idleThresholdSeconds'],
    [{ keepLocalDays: -1 }, 'keepLocalDays'],
    [{ reviewMinutes: 61 }, 'reviewMinutes'],
    [{ reviewMinutes: 1.5 }, 'reviewMinutes'],
    [{ blurScreenshots: 'yes' }, 'blurScreenshots'],
    [{ unknownField: 1 }, ''],
  ])('rejects %o, naming the field', (bad, field) => {
    for (const schema of [capturePolicySchema, capturePolicyPatchSchema]) {
      const r = schema.safeParse(bad);
      expect(r.success).toBe(false);
      if (!r.success && field) expect(r.error.issues[0]?.path).toEqual([field]);
    }
  });
});
