import { z } from 'zod';

/**
 * What an org (or IT's machine-wide policy file) allows the tracker to capture.
 * Defaults are the product's embedded defaults.
 */
export const capturePolicySchema = z
  .object({
    /** Screenshots per 10-minute slot, at random instants, never two within 60 s. */
    screenshotsPerSlot: z.number().int().min(0).max(3).default(1),
    /** Blur screenshots before they leave the encoder. */
    blurScreenshots: z.boolean().default(false),
    /** Seconds without input before an idle span opens and asks keep / discard. */
    idleThresholdSeconds: z.number().int().min(60).max(3600).default(300),
    /** Record window titles (app names are always recorded). */
    recordWindowTitles: z.boolean().default(false),
    /** How long an employee may delete a screenshot after it was taken. */
    screenshotDeleteGraceSeconds: z.number().int().min(0).max(86_400).default(600),
    /** Keep uploaded screenshots on the device this many days for review (0: delete on upload). */
    keepLocalDays: z.number().int().min(0).max(30).default(0),
  })
  .strict();

export type CapturePolicy = z.infer<typeof capturePolicySchema>;
export const defaultCapturePolicy: CapturePolicy = capturePolicySchema.parse({});
