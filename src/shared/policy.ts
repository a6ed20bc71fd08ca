import { z } from 'zod';

/** The fields of a capture policy, each with its bounds and no default (for partial updates). */
export const capturePolicyFields = {
  /** Screenshots per 10-minute slot, at random instants, never two within 60 s. */
  screenshotsPerSlot: z.number().int().min(0).max(3),
  /** Blur screenshots before they leave the encoder. */
  blurScreenshots: z.boolean(),
  /** Seconds without input before an idle span opens and asks keep / discard. */
  idleThresholdSeconds: z.number().int().min(60).max(3600),
  /** Record window titles (app names are always recorded). */
  recordWindowTitles: z.boolean(),
  /** How long an employee may delete a screenshot after it was taken. */
  screenshotDeleteGraceSeconds: z.number().int().min(0).max(86_400),
  /** Keep uploaded screenshots on the device this many days for review (0: delete on upload). */
  keepLocalDays: z.number().int().min(0).max(30),
  /** Minutes a screenshot waits on the device before upload, so the employee can review and delete it (0: off). */
  reviewMinutes: z.number().int().min(0).max(60),
};

/** The product's embedded defaults. */
export const defaultCapturePolicy = {
  screenshotsPerSlot: 1,
  blurScreenshots: false,
  idleThresholdSeconds: 300,
  recordWindowTitles: false,
  screenshotDeleteGraceSeconds: 600,
  keepLocalDays: 0,
  reviewMinutes: 0,
} as const satisfies { [K in keyof typeof capturePolicyFields]: z.infer<(typeof capturePolicyFields)[K]> };

/**
 * What an org (or IT's machine-wide policy file) allows the tracker to capture; a field left out
 * takes the embedded default.
 */
export const capturePolicySchema = z
  .object({
    screenshotsPerSlot: capturePolicyFields.screenshotsPerSlot.default(defaultCapturePolicy.screenshotsPerSlot),
    blurScreenshots: capturePolicyFields.blurScreenshots.default(defaultCapturePolicy.blurScreenshots),
    idleThresholdSeconds: capturePolicyFields.idleThresholdSeconds.default(defaultCapturePolicy.idleThresholdSeconds),
    recordWindowTitles: capturePolicyFields.recordWindowTitles.default(defaultCapturePolicy.recordWindowTitles),
    screenshotDeleteGraceSeconds: capturePolicyFields.screenshotDeleteGraceSeconds.default(
      defaultCapturePolicy.screenshotDeleteGraceSeconds,
    ),
    keepLocalDays: capturePolicyFields.keepLocalDays.default(defaultCapturePolicy.keepLocalDays),
    reviewMinutes: capturePolicyFields.reviewMinutes.default(defaultCapturePolicy.reviewMinutes),
  })
  .strict();

export type CapturePolicy = z.infer<typeof capturePolicySchema>;

/** A change to some fields of a policy: fields left out stay as they are (no defaults filled in). */
export const capturePolicyPatchSchema = z.object(capturePolicyFields).partial().strict();
export type CapturePolicyPatch = z.infer<typeof capturePolicyPatchSchema>;
