import { z } from 'zod';
import { capturePolicyFields } from './policy';
import { UPDATE_CHANNELS } from './update-channel';

/**
 * The machine-wide policy file IT deploys (Windows `%ProgramData%\Stint\policy.json`, macOS
 * `/Library/Application Support/Stint/policy.json` or a configuration profile's managed
 * preferences, Linux `/etc/stint/policy.json`; the STINT_POLICY_FILE environment variable points
 * elsewhere; src/sync/policy/policy-file-path.ts). Every key is checked: an unknown or
 * misspelt key is refused with its path, never ignored, so a typo cannot silently unlock a field.
 *
 * Lock semantics, field by field:
 * - a `capture` field listed in `locked` wins over the org policy pulled from the server (and the
 *   employee cannot change it); a `capture` field not listed is the device's value only until the
 *   org policy arrives (the org's value wins from then on);
 * - `serverUrl` listed in `locked`: the employee cannot sign in or enroll on another server;
 *   not listed, it is only the server the device starts on;
 * - `autoStart: true` forces start at login on, and the employee's switch shows it locked;
 * - `updateChannel` is always the device's channel when set (there is no user setting for it).
 */

/** A capture-policy field name, as in src/shared/policy.ts (and the org policy on the server). */
export const capturePolicyFieldNames = Object.keys(capturePolicyFields) as (keyof typeof capturePolicyFields)[];
export const capturePolicyFieldSchema = z.enum(capturePolicyFieldNames as [keyof typeof capturePolicyFields, ...(keyof typeof capturePolicyFields)[]]);
export type CapturePolicyField = z.infer<typeof capturePolicyFieldSchema>;

/** What `locked` may name: a capture field or the server URL (auto-start locks by `autoStart: true`). */
export const lockableFieldSchema = z.union([capturePolicyFieldSchema, z.literal('serverUrl')]);
export type LockableField = z.infer<typeof lockableFieldSchema>;

/** The update channel a device follows: one the server publishes (src/shared/update-channel.ts). */
const managedUpdateChannelSchema = z.enum(UPDATE_CHANNELS, `must be one of the channels the server publishes: ${UPDATE_CHANNELS.map((c) => `"${c}"`).join(', ')}`);

const serverUrlSchema = z
  .string()
  .max(2048)
  .refine((v) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(v), 'must be an http:// or https:// address of the Stint server, e.g. "https://stint.example.com"');

export const managedPolicySchema = z
  .object({
    /** Lets an editor offer completion; not read otherwise. */
    $schema: z.string().optional(),
    /** Format version of this file; only 1 exists. */
    version: z.literal(1, 'must be 1 (the only version of the policy file)'),
    /** The organisation's Stint server. */
    serverUrl: serverUrlSchema.optional(),
    /** Enrolls the device silently on its first run (an enrollment token made by an admin). */
    enrollmentToken: z.string().trim().min(8, 'is too short for an enrollment token').max(4096).optional(),
    /** Capture policy values, with the org policy's field names and bounds. */
    capture: z.object(capturePolicyFields).partial().strict().optional(),
    /** Fields the employee and the org policy cannot change. */
    locked: z.array(lockableFieldSchema).max(32).optional(),
    /** true: Stint starts at login, and the employee cannot turn it off. */
    autoStart: z.boolean().optional(),
    /** The update channel the device follows. */
    updateChannel: managedUpdateChannelSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    (p.locked ?? []).forEach((field, i) => {
      const set = field === 'serverUrl' ? p.serverUrl !== undefined : p.capture?.[field] !== undefined;
      if (!set)
        ctx.addIssue({
          code: 'custom',
          path: ['locked', i],
          message: `locks "${field}" but the file gives it no value: set ${field === 'serverUrl' ? '"serverUrl"' : `"capture.${field}"`} too`,
        });
      if (p.locked!.indexOf(field) !== i) ctx.addIssue({ code: 'custom', path: ['locked', i], message: `"${field}" is listed twice` });
    });
    if (p.enrollmentToken !== undefined && p.serverUrl === undefined)
      ctx.addIssue({ code: 'custom', path: ['enrollmentToken'], message: 'needs "serverUrl": the token enrolls on that server' });
  });
export type ManagedPolicy = z.infer<typeof managedPolicySchema>;

/** One problem of a policy file: the field (a dotted path, "" for the whole file) and what is wrong. */
export interface PolicyProblem {
  field: string;
  message: string;
}

/** Why a policy file was not applied, field by field. */
export function policyProblems(error: z.ZodError): PolicyProblem[] {
  return error.issues.flatMap((i): PolicyProblem[] => {
    const base = i.path.map(String).join('.');
    // An unknown key names itself, so IT sees the exact misspelt field.
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'is not a policy field (unknown key; check its spelling)' }));
    return [{ field: base, message: i.message }];
  });
}

/** Where a setting's value comes from, and so who may change it. */
export const settingSourceSchema = z.enum(['policy-file', 'org', 'user', 'default']);

/** A setting IT's policy file locks, with the reason the UI shows next to it. */
export const settingLockSchema = z.object({
  field: z.union([lockableFieldSchema, z.literal('autoStart')]),
  source: z.literal('policy-file'),
  reason: z.string(),
});
export type SettingLock = z.infer<typeof settingLockSchema>;

/** The reason the UI shows next to every field the policy file locks. */
export const POLICY_FILE_LOCK_REASON = "Set by your organisation's IT (policy file)";

/** What the UI is told about the managed policy (never the enrollment token). */
export const managedPolicyViewSchema = z.object({
  /** The file read (absent or not), so IT support can tell which one. */
  path: z.string(),
  /** The file is present and in force (or its last good copy is, after an error). */
  active: z.boolean(),
  locks: z.array(settingLockSchema),
  /** The file's server (pre-filled in the sign-in forms; the only one allowed when `serverUrl` is locked). */
  serverUrl: z.string().nullable(),
  updateChannel: z.string().nullable(),
  /** Why the file was not applied ("capture.screenshotsPerSlot: …"); null when it was (or is absent). */
  error: z.string().nullable(),
  /** After an error: the last good copy is in force (true) or nothing managed is (false). */
  usingLastGood: z.boolean(),
});
export type ManagedPolicyView = z.infer<typeof managedPolicyViewSchema>;
