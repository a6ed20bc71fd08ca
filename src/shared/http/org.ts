import { z } from 'zod';
import { ianaZone } from '../time';
import { text } from './text';
import { uuid } from '../ids';
import { capturePolicyPatchSchema, capturePolicySchema } from '../policy';
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
  /** Origins the caller's timeline images come from (the server, its blob store): a window's CSP img-src allows them. */
  imageOrigins: z.array(z.url()).default([]),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** PUT /v1/org/policy (admin) */
export const updatePolicyRequestSchema = capturePolicyPatchSchema;

/** PUT /v1/org/retention (admin) — days to keep screenshots; null keeps them until deleted. */
export const updateRetentionRequestSchema = z
  .object({ retentionDays: z.number().int().min(1).max(3650).nullable() })
  .strict();

/** GET /v1/users — the users the caller may see (employees: themselves; managers: their teams; admins: the org). */
export const userListResponseSchema = z.object({ users: z.array(userSummarySchema) });

/** POST /v1/users (admin) */
export const createUserRequestSchema = z
  .object({
    email: z.email().max(254),
    name: text(1, 200),
    role: z.enum(['admin', 'manager', 'employee']),
    timeZone: ianaZone.default('UTC'),
    /** Omit for device-only users (enrolled with a token, no password sign-in). */
    password: z.string().min(12).max(1024).optional(),
  })
  .strict();

/** POST /v1/projects (admin or manager) */
export const createProjectRequestSchema = z.object({ name: text(1, 200) }).strict();
/** POST /v1/projects/:id/tasks (admin or manager) */
export const createTaskRequestSchema = z.object({ name: text(1, 200) }).strict();

/** POST /v1/teams (admin) */
export const createTeamRequestSchema = z
  .object({
    name: text(1, 200),
    managerIds: z.array(uuid).max(50).default([]),
    memberIds: z.array(uuid).max(1000).default([]),
  })
  .strict();
export const teamSchema = z.object({ id: uuid, name: z.string(), managerIds: z.array(uuid), memberIds: z.array(uuid) });
