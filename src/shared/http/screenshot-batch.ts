import { z } from 'zod';
import { uuidV7 } from '../ids';
import { createScreenshotRequestSchema, presignedUploadSchema } from './screenshots';

/** Items one batch request may carry; more is a 413 for the whole request. */
export const MAX_BATCH_ITEMS = 100;

/**
 * POST /v1/screenshots/batch — declare up to 100 screenshots. Each item has the shape of
 * POST /v1/screenshots' body; each is checked on its own, so one bad item is refused alone.
 */
export const declareBatchRequestSchema = z.object({ items: z.array(createScreenshotRequestSchema).min(1).max(MAX_BATCH_ITEMS) }).strict();
export type DeclareBatchRequest = z.infer<typeof declareBatchRequestSchema>;

/** What the server parses first: the envelope only, so each item can be judged (and refused) alone. */
export const declareBatchEnvelopeSchema = z.object({ items: z.array(z.unknown()).min(1) }).strict();

/** Why the server refused one item: the status the single-item endpoint would have answered, and why. */
export const itemProblemSchema = z.object({
  status: z.number().int().min(400).max(599),
  title: z.string(),
  detail: z.string(),
});
export type ItemProblem = z.infer<typeof itemProblemSchema>;

export const declareBatchItemSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('upload'), id: uuidV7, upload: presignedUploadSchema }),
  z.object({ status: z.literal('stored'), id: uuidV7 }),
  /** `id` is null when the item had no readable id; answers come in request order either way. */
  z.object({ status: z.literal('refused'), id: uuidV7.nullable(), problem: itemProblemSchema }),
]);
export type DeclareBatchItem = z.infer<typeof declareBatchItemSchema>;

export const declareBatchResponseSchema = z.object({ items: z.array(declareBatchItemSchema) });
export type DeclareBatchResponse = z.infer<typeof declareBatchResponseSchema>;

/**
 * POST /v1/screenshots/batch/complete — the device's PUTs of these ids succeeded. The server
 * records them at once and verifies each object asynchronously (HEAD, decode, thumbnail): a row
 * whose object never arrived is marked missing and never shown as complete.
 */
export const completeBatchRequestSchema = z.object({ ids: z.array(uuidV7).min(1).max(MAX_BATCH_ITEMS) }).strict();
export type CompleteBatchRequest = z.infer<typeof completeBatchRequestSchema>;

export const completeBatchEnvelopeSchema = z.object({ ids: z.array(z.unknown()).min(1) }).strict();

export const completeBatchItemSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('stored'), id: uuidV7 }),
  z.object({ status: z.literal('refused'), id: uuidV7.nullable(), problem: itemProblemSchema }),
]);
export type CompleteBatchItem = z.infer<typeof completeBatchItemSchema>;

export const completeBatchResponseSchema = z.object({ items: z.array(completeBatchItemSchema) });
export type CompleteBatchResponse = z.infer<typeof completeBatchResponseSchema>;
