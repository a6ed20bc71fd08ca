import { z } from 'zod';
import { uuidV7 } from '../ids';
import { isoInstant } from '../time';

export const screenshotContentTypeSchema = z.enum(['image/webp', 'image/jpeg', 'image/png']);
export type ScreenshotContentType = z.infer<typeof screenshotContentTypeSchema>;

export const MAX_SCREENSHOT_BYTES = 20 * 1024 * 1024;

/** POST /v1/screenshots — declare a screenshot; the server answers with where to PUT its bytes. */
export const createScreenshotRequestSchema = z
  .object({
    id: uuidV7,
    deviceId: uuidV7,
    entryId: uuidV7.nullable(),
    takenAt: isoInstant,
    displayId: z.string().min(1).max(100),
    width: z.number().int().min(1).max(16_384),
    height: z.number().int().min(1).max(16_384),
    bytes: z.number().int().min(1).max(MAX_SCREENSHOT_BYTES),
    /** Lowercase hex SHA-256 of the file. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Base64 MD5 of the file, as Content-MD5 carries it. */
    md5: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
    contentType: screenshotContentTypeSchema,
  })
  .strict();
export type CreateScreenshotRequest = z.infer<typeof createScreenshotRequestSchema>;

export const presignedUploadSchema = z.object({
  url: z.url(),
  method: z.literal('PUT'),
  /** Send exactly these headers with the PUT (they are part of the signature). */
  headers: z.record(z.string(), z.string()),
  expiresAt: isoInstant,
});
export type PresignedUpload = z.infer<typeof presignedUploadSchema>;

export const createScreenshotResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('upload'), id: uuidV7, upload: presignedUploadSchema }),
  /** Already recorded as complete: nothing to send (an idempotent replay). */
  z.object({ status: z.literal('stored'), id: uuidV7 }),
]);
export type CreateScreenshotResponse = z.infer<typeof createScreenshotResponseSchema>;

/** POST /v1/screenshots/:id/complete — empty body; the server HEADs the object. */
export const completeScreenshotResponseSchema = z.object({ status: z.literal('stored'), id: uuidV7 });

/** GET /v1/screenshots/:id */
export const screenshotViewSchema = z.object({
  id: uuidV7,
  userId: z.string(),
  entryId: uuidV7.nullable(),
  takenAt: isoInstant,
  displayId: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  contentType: screenshotContentTypeSchema,
  /** Short-lived signed GET URLs; thumbUrl is null until the thumbnail job has run. */
  thumbUrl: z.url().nullable(),
  fullUrl: z.url(),
});
export type ScreenshotView = z.infer<typeof screenshotViewSchema>;
