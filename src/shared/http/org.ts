import { z } from 'zod';
import { uuid } from '../ids';
import { capturePolicySchema } from '../policy';
import { userSummarySchema } from './auth';

export const taskSchema = z.object({ id: uuid, projectId: uuid, name: z.string(), archived: z.boolean() });
export const projectSchema = z.object({
  id: uuid,
  name: z.string(),
  archived: z.boolean(),
  tasks: z.array(taskSchema),
});
export type Project = z.infer<typeof projectSchema>;
export type Task = z.infer<typeof taskSchema>;

/** GET /v1/projects — projects and tasks the caller may track on. */
export const projectListResponseSchema = z.object({ projects: z.array(projectSchema) });

/** GET /v1/me — who the caller is, and the org's capture policy (cached by the device for offline use). */
export const meResponseSchema = z.object({
  user: userSummarySchema,
  org: z.object({ id: uuid, name: z.string(), retentionDays: z.number().int().nullable() }),
  policy: capturePolicySchema,
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** PUT /v1/org/policy (admin) */
export const updatePolicyRequestSchema = capturePolicySchema.partial().strict();

/** PUT /v1/org/retention (admin) — days to keep screenshots; null keeps them until deleted. */
export const updateRetentionRequestSchema = z
  .object({ retentionDays: z.number().int().min(1).max(3650).nullable() })
  .strict();
