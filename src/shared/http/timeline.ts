import { z } from 'zod';
import { uuid, uuidV7 } from '../ids';
import { ianaZone, isoDate, isoInstant } from '../time';

/** GET /v1/timeline?userId&date&tz */
export const timelineQuerySchema = z
  .object({
    userId: uuid,
    date: isoDate,
    tz: ianaZone,
  })
  .strict();

export const timelineScreenshotSchema = z.object({
  id: uuidV7,
  takenAt: isoInstant,
  displayId: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  thumbUrl: z.url().nullable(),
  fullUrl: z.url(),
});

export const timelineSlotSchema = z.object({
  /** Slot start and end as UTC instants; slots are 10 minutes on the viewer's wall clock. */
  start: isoInstant,
  end: isoInstant,
  /** Local wall-clock label in the viewer's zone, e.g. "09:40". */
  label: z.string(),
  trackedSeconds: z.number().int(),
  activeSeconds: z.number().int(),
  /** activeSeconds / trackedSeconds (Hubstaff's definition), 0..100, null when nothing was tracked. */
  activityPercent: z.number().min(0).max(100).nullable(),
  project: z.object({ id: uuid, name: z.string() }).nullable(),
  topApps: z.array(z.object({ app: z.string(), seconds: z.number().int() })),
  screenshots: z.array(timelineScreenshotSchema),
});
export type TimelineSlot = z.infer<typeof timelineSlotSchema>;

export const timelineResponseSchema = z.object({
  userId: uuid,
  date: isoDate,
  tz: z.string(),
  /** Only slots with tracked time, activity or screenshots, in order. */
  slots: z.array(timelineSlotSchema),
  totals: z.object({ trackedSeconds: z.number().int(), activeSeconds: z.number().int() }),
});
export type TimelineResponse = z.infer<typeof timelineResponseSchema>;

/** GET /v1/team/now */
export const teamNowResponseSchema = z.object({
  members: z.array(
    z.object({
      userId: uuid,
      name: z.string(),
      tracking: z.boolean(),
      entry: z
        .object({ id: uuidV7, projectId: uuid, projectName: z.string(), startedAt: isoInstant })
        .nullable(),
      lastSeenAt: isoInstant.nullable(),
    }),
  ),
});

/** GET /v1/reports/summary?from&to&groupBy&tz[&format=csv] */
export const summaryQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(['user', 'project', 'day']),
    tz: ianaZone.default('UTC'),
    userId: uuid.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export const summaryResponseSchema = z.object({
  from: isoDate,
  to: isoDate,
  groupBy: z.enum(['user', 'project', 'day']),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      trackedSeconds: z.number().int(),
      activeSeconds: z.number().int(),
      activityPercent: z.number().nullable(),
    }),
  ),
});
