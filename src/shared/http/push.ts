import { z } from 'zod';
import { uuid, uuidV7 } from '../ids';
import { isoInstant } from '../time';
import { deviceReportSchema } from './fleet';

/**
 * Ops pushed by the device through POST /v1/sync/push. Each op has its own UUIDv7 `id`;
 * the server applies each at most once, and a replay with the same id and content returns the
 * same result. The same id with different content is rejected with status 409.
 */
export const entryUpsertOpSchema = z
  .object({
    id: uuidV7,
    kind: z.literal('entry.upsert'),
    entry: z
      .object({
        id: uuidV7,
        projectId: uuid,
        taskId: uuid.nullable(),
        startedAt: isoInstant,
        /** null while the timer runs. */
        endedAt: isoInstant.nullable(),
        /** Why it ended: the user stopped it, idle time was discarded, the app crashed, ... */
        stopReason: z.enum(['user', 'idle', 'crash', 'shutdown']).nullable(),
      })
      .strict(),
  })
  .strict();

export const activityAppSchema = z
  .object({
    app: z.string().min(1).max(200),
    /** Present only where the policy allows window titles. */
    title: z.string().max(500).optional(),
    seconds: z.number().int().min(0).max(60),
  })
  .strict();

export const activityMinuteOpSchema = z
  .object({
    id: uuidV7,
    kind: z.literal('activity.minute'),
    minute: z
      .object({
        /** The row's own UUIDv7 on the device. */
        id: uuidV7,
        entryId: uuidV7.nullable(),
        /** Start of the UTC minute (seconds and milliseconds zero). */
        minuteStart: isoInstant,
        /** Seconds of this minute with keyboard or mouse input (never what was typed). */
        activeSeconds: z.number().int().min(0).max(60),
        /** Seconds of this minute the timer was running. */
        trackedSeconds: z.number().int().min(0).max(60),
        apps: z.array(activityAppSchema).max(10),
      })
      .strict(),
  })
  .strict();

export const screenshotDeleteOpSchema = z
  .object({
    id: uuidV7,
    kind: z.literal('screenshot.delete'),
    screenshotId: uuidV7,
    deletedAt: isoInstant,
  })
  .strict();

export const idleDecisionOpSchema = z
  .object({
    id: uuidV7,
    kind: z.literal('idle.decision'),
    span: z
      .object({
        id: uuidV7,
        entryId: uuidV7.nullable(),
        startedAt: isoInstant,
        endedAt: isoInstant,
        decision: z.enum(['keep', 'discard', 'assign']),
        /** Where assigned time goes (decision 'assign'). */
        projectId: uuid.nullable(),
        taskId: uuid.nullable(),
      })
      .strict(),
  })
  .strict();

export const syncOpSchema = z.discriminatedUnion('kind', [
  entryUpsertOpSchema,
  activityMinuteOpSchema,
  screenshotDeleteOpSchema,
  idleDecisionOpSchema,
]);
export type SyncOp = z.infer<typeof syncOpSchema>;
export type SyncOpKind = SyncOp['kind'];

export const MAX_OPS_PER_PUSH = 500;

/** POST /v1/sync/push */
export const pushRequestSchema = z
  .object({
    deviceId: uuidV7,
    /** The device's clock when it sent the batch (after its own offset correction). */
    sentAt: isoInstant,
    ops: z.array(syncOpSchema).min(1).max(MAX_OPS_PER_PUSH),
    /** The device's version and queue figures for IT's fleet view (GET /v1/fleet); older devices send none. */
    device: deviceReportSchema.optional(),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const pushOpResultSchema = z.discriminatedUnion('outcome', [
  z.object({ id: uuidV7, outcome: z.literal('applied') }),
  z.object({
    id: uuidV7,
    outcome: z.literal('rejected'),
    /** HTTP-like status of this op alone: 409 conflict, 422 invalid, 403 forbidden, 404 unknown reference. */
    status: z.number().int().min(400).max(499),
    reason: z.string(),
  }),
]);
export type PushOpResult = z.infer<typeof pushOpResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(pushOpResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;
