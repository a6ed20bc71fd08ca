import { z } from 'zod';
import { uuid, uuidV7 } from './ids';
import { isoInstant } from './time';
import { capturePolicySchema } from './policy';
import { managedPolicyViewSchema } from './managed-policy';
import { fleetResponseSchema } from './http/fleet';
import { roleSchema } from './http/auth';
import { TrackerError, trackerErrorCodes, type TrackerErrorShape } from './tracker-error';
import { trackerMethodNames } from './tracker-methods';
import { managerMethods } from './tracker-manager';

/**
 * TrackerApi: the one handler table between the UI (renderer) and the tracker core.
 * Both transports (Electron IPC and the agent's loopback HTTP bridge) are generated from this
 * table, and every argument is validated with its `input` schema at the boundary.
 */

export const syncStateSchema = z.enum(['idle', 'syncing', 'offline', 'paused', 'signed-out']);

export const queueCountsSchema = z.object({
  screenshots: z.number().int(),
  ops: z.number().int(),
  dead: z.number().int(),
  bytesPending: z.number().int(),
  /** Age in seconds of the oldest record not yet confirmed by the server, null when empty. */
  oldestUnsyncedSeconds: z.number().nullable(),
});

export const runningEntrySchema = z.object({
  id: uuidV7,
  projectId: uuid,
  taskId: uuid.nullable(),
  startedAt: isoInstant,
});

export const statusSchema = z.object({
  running: runningEntrySchema.nullable(),
  /** Tracked seconds today in the device's local zone, the running entry included. */
  todaySeconds: z.number().int(),
  /** Active seconds / elapsed seconds of the current 10-minute slot, 0..100; null if not tracking. */
  activityPercent: z.number().min(0).max(100).nullable(),
  idleSeconds: z.number().int(),
  pendingIdle: z.boolean(),
  /** Tracked seconds this week (Monday 00:00 local), the running entry included. */
  weekSeconds: z.number().int(),
  /** Screenshots waiting on the device in the policy's review window (reviewMinutes), not uploaded yet. */
  inReview: z.number().int(),
  queue: queueCountsSchema,
  sync: z.object({
    state: syncStateSchema,
    lastSuccessAt: isoInstant.nullable(),
    lastError: z.string().nullable(),
  }),
  lastCaptureError: z.string().nullable(),
  /** Why the outbox could not be written lately ("disk full: …"); tracking goes on in memory. Null when it can. */
  storageError: z.string().nullable(),
  /** Why IT's policy file was not applied, field by field (the last good copy runs meanwhile); null when it was or there is none. */
  policyError: z.string().nullable(),
});
export type TrackerStatus = z.infer<typeof statusSchema>;

export const recentScreenshotSchema = z.object({
  id: uuidV7,
  takenAt: isoInstant,
  displayId: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  state: z.enum(['captured', 'uploading', 'done', 'dead']),
  /** Small WebP/JPEG thumbnail as a data: URL for the UI (never stored or uploaded as base64). */
  thumbnailDataUrl: z.string().nullable(),
  /** Until when the employee may still delete it. */
  deletableUntil: isoInstant,
});

export const idleSpanSchema = z.object({
  id: uuidV7,
  entryId: uuidV7.nullable(),
  startedAt: isoInstant,
  endedAt: isoInstant.nullable(),
});

export const deadLetterSchema = z.object({
  id: uuidV7,
  kind: z.enum(['screenshot', 'op']),
  reason: z.string(),
  attempts: z.number().int(),
  failedAt: isoInstant,
});

/** Start Stint at login: whether this host can, and whether it will. */
export const autoStartSchema = z.object({
  available: z.boolean(),
  enabled: z.boolean(),
  /** Why the switch cannot be used here (null when it can). */
  unavailableReason: z.string().nullable(),
});
export type AutoStart = z.infer<typeof autoStartSchema>;

export const settingsSchema = z.object({
  policy: capturePolicySchema,
  serverUrl: z.string().nullable(),
  deviceName: z.string(),
  autoStart: autoStartSchema,
  /** IT's machine-wide policy file: what it locks and why; null when there is none. */
  managed: managedPolicyViewSchema.nullable(),
});

/** Who the tracker is signed in as; tokens and refresh tokens stay in the core and never appear here. */
export const sessionSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('signed-out') }),
  z.object({
    state: z.literal('signed-in'),
    user: z.object({ id: uuid, email: z.string(), name: z.string() }),
    role: roleSchema,
    org: z.object({ id: uuid, name: z.string() }),
    serverUrl: z.string(),
    /** Origins the timeline's images come from (the server, its blob store): the window's CSP img-src allows them. */
    imageOrigins: z.array(z.string()).default([]),
  }),
]);
export type TrackerSession = z.infer<typeof sessionSchema>;

const serverUrlInput = z
  .string()
  .trim()
  .min(1, 'enter the server address')
  .max(2048)
  .refine((v) => /^https?:\/\/[^\s/]+(\/\S*)?$/i.test(v), 'must be an http:// or https:// address');

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

export const trackerApi = {
  'timer.start': {
    input: z.object({ projectId: uuid, taskId: uuid.nullable().default(null) }).strict(),
    output: statusSchema,
  },
  'timer.stop': { input: empty, output: statusSchema },
  'status.get': { input: empty, output: statusSchema },
  'projects.list': {
    input: empty,
    output: z.array(
      z.object({
        id: uuid,
        name: z.string(),
        tasks: z.array(z.object({ id: uuid, name: z.string() })),
      }),
    ),
  },
  'screenshots.recent': {
    input: z.object({ limit: z.number().int().min(1).max(50).default(10) }).strict(),
    output: z.array(recentScreenshotSchema),
  },
  'screenshots.delete': { input: z.object({ id: uuidV7 }).strict(), output: ok },
  'idle.pending': { input: empty, output: z.array(idleSpanSchema) },
  'idle.decide': {
    input: z
      .object({
        spanId: uuidV7,
        decision: z.enum(['keep', 'discard', 'assign']),
        projectId: uuid.nullable().default(null),
        taskId: uuid.nullable().default(null),
      })
      .strict()
      .refine((v) => v.decision !== 'assign' || v.projectId !== null, {
        message: "decision 'assign' needs a projectId",
        path: ['projectId'],
      }),
    output: statusSchema,
  },
  'settings.get': { input: empty, output: settingsSchema },
  'settings.update': {
    input: z.object({ deviceName: z.string().min(1).max(200).optional(), autoStart: z.boolean().optional() }).strict(),
    output: settingsSchema,
  },
  'sync.deadLetters': { input: empty, output: z.array(deadLetterSchema) },
  'sync.retry': { input: z.object({ id: uuidV7.optional() }).strict(), output: ok },
  /** IT's fleet view (admins), asked by the core with its own session: GET /v1/fleet. */
  'fleet.list': { input: empty, output: fleetResponseSchema },
  'session.get': { input: empty, output: sessionSchema },
  'session.signIn': {
    input: z
      .object({
        serverUrl: serverUrlInput,
        email: z.email('must be an email address').max(254),
        password: z.string().min(1, 'enter your password').max(1024),
      })
      .strict(),
    output: sessionSchema,
  },
  'session.enroll': {
    input: z
      .object({
        serverUrl: serverUrlInput,
        token: z.string().trim().min(8, 'the enrollment token is too short').max(4096),
      })
      .strict(),
    output: sessionSchema,
  },
  /** Refuses (failed_precondition, with the count) while unsynced records exist unless confirm; queued data is kept either way. */
  'session.signOut': {
    input: z.object({ confirm: z.boolean().default(false) }).strict(),
    output: sessionSchema,
  },
  /** The full-size local image of one screenshot, as a data: URL (only while its file is on the device). */
  'screenshots.image': {
    input: z.object({ id: uuidV7 }).strict(),
    output: z.object({ id: uuidV7, dataUrl: z.string(), width: z.number().int(), height: z.number().int() }),
  },
  ...managerMethods,
} as const;

export type TrackerMethod = keyof typeof trackerApi;
export type TrackerInput<K extends TrackerMethod> = z.input<(typeof trackerApi)[K]['input']>;
export type TrackerParsedInput<K extends TrackerMethod> = z.output<(typeof trackerApi)[K]['input']>;
export type TrackerOutput<K extends TrackerMethod> = z.output<(typeof trackerApi)[K]['output']>;

/** What a caller (renderer, bridge client, test) sees: one async method per channel. */
export type TrackerApi = {
  [K in TrackerMethod]: (input: TrackerInput<K>) => Promise<TrackerOutput<K>>;
};

/** What the core implements: handlers get already-validated input. */
export type TrackerHandlers = {
  [K in TrackerMethod]: (input: TrackerParsedInput<K>) => Promise<TrackerOutput<K>>;
};

/** Events the core emits to the UI. */
export const trackerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: statusSchema }),
  z.object({ type: z.literal('capture'), screenshot: recentScreenshotSchema.omit({ thumbnailDataUrl: true }) }),
  z.object({ type: z.literal('capture-failed'), reason: z.string(), at: isoInstant }),
  z.object({ type: z.literal('activity'), minuteStart: isoInstant, activeSeconds: z.number().int() }),
  z.object({ type: z.literal('idle'), span: idleSpanSchema }),
  z.object({
    type: z.literal('sync-progress'),
    uploaded: z.number().int(),
    remaining: z.number().int(),
    bytesPending: z.number().int(),
  }),
]);
export type TrackerEvent = z.infer<typeof trackerEventSchema>;

/** Errors crossing the TrackerApi boundary carry a code and a human reason. */
export const trackerErrorSchema = z.object({
  code: z.enum(trackerErrorCodes),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export { TrackerError, trackerErrorCodes, isTrackerErrorCode, type TrackerErrorShape } from './tracker-error';
// The zod-free shape in tracker-error.ts and this schema must agree.
const _sameErrorShape: [TrackerErrorShape, z.infer<typeof trackerErrorSchema>] = [{} as z.infer<typeof trackerErrorSchema>, {} as TrackerErrorShape];
void _sameErrorShape;

/** Validate the input of one call; throws TrackerError('invalid_argument') with field reasons. */
export function parseTrackerInput<K extends TrackerMethod>(method: K, input: unknown): TrackerParsedInput<K> {
  const schema = trackerApi[method]?.input;
  if (!schema) throw new TrackerError('not_found', `unknown TrackerApi method: ${String(method)}`);
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new TrackerError(
      'invalid_argument',
      `${method}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      issues,
    );
  }
  return result.data as TrackerParsedInput<K>;
}

/** Every method, in the zod-free list a page can import; the types below prove it is the table's keys. */
export const trackerMethods: readonly TrackerMethod[] = trackerMethodNames;
type _SameMethods = [TrackerMethod] extends [(typeof trackerMethodNames)[number]] ? ([(typeof trackerMethodNames)[number]] extends [TrackerMethod] ? true : never) : never;
const _sameMethods: _SameMethods = true;
void _sameMethods;
