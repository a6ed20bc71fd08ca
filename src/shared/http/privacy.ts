import { z } from 'zod';
import { text } from './text';
import { uuid } from '../ids';
import { isoInstant } from '../time';
import { userSummarySchema } from './auth';

/** GET /v1/users/:id/export — everything the server holds about a user (GDPR access). */
export const userExportSchema = z.object({
  exportedAt: isoInstant,
  user: userSummarySchema,
  devices: z.array(z.record(z.string(), z.unknown())),
  entries: z.array(z.record(z.string(), z.unknown())),
  activityMinutes: z.array(z.record(z.string(), z.unknown())),
  idleSpans: z.array(z.record(z.string(), z.unknown())),
  /** Metadata with short-lived signed URLs to the images. */
  screenshots: z.array(z.record(z.string(), z.unknown())),
});
export type UserExport = z.infer<typeof userExportSchema>;

/** DELETE /v1/users/:id/data — erases a user's tracked data (GDPR erasure); the account stays. */
export const eraseResponseSchema = z.object({
  userId: uuid,
  deleted: z.object({
    entries: z.number().int(),
    activityMinutes: z.number().int(),
    idleSpans: z.number().int(),
    screenshots: z.number().int(),
  }),
});

/** GET /v1/audit (admin) */
export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    action: text(0, 64).optional(),
  })
  .strict();
export const auditEntrySchema = z.object({
  id: z.string(),
  actorId: uuid.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  at: isoInstant,
});
export const auditResponseSchema = z.object({ entries: z.array(auditEntrySchema) });
