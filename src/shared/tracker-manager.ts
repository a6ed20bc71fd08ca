import { z } from 'zod';
import { uuid, uuidV7 } from './ids';
import { ianaZone, isoDate } from './time';
import { userListResponseSchema } from './http/org';
import { summaryQuerySchema, summaryResponseSchema, teamNowResponseSchema, timelineResponseSchema, type timelineQuerySchema } from './http/timeline';

/**
 * The manager's reads of the TrackerApi: the core forwards each with its own session (no token
 * reaches the window) and answers with the server's own contracts. An employee's session is
 * refused with `permission_denied`; a day after today in the viewer's zone, or a range the
 * server would refuse, with `invalid_argument` and the field.
 */

/** A report spans at most this many days (the server's limit too). */
export const MAX_REPORT_DAYS = 366;

const viewerDay = z.object({ userId: uuid, date: isoDate, tz: ianaZone }).strict();
// The same fields as the server's query: a change there breaks this line's type.
const _sameDay: z.infer<typeof viewerDay> = {} as z.infer<typeof timelineQuerySchema>;
void _sameDay;

export const managerTimelineSchema = timelineResponseSchema.extend({
  /**
   * The org's screenshot retention for this day: `purged` says whether its screenshots are past it
   * ('all' for a day wholly older than `days`, 'part' for the day the cut-off falls in).
   */
  retention: z.object({ days: z.number().int().nullable(), purged: z.enum(['none', 'part', 'all']) }),
});
export type ManagerTimeline = z.infer<typeof managerTimelineSchema>;
export type SummaryResponse = z.infer<typeof summaryResponseSchema>;

export const managerTotalsSchema = z.object({
  /** Per project, the day `date`; and its Monday-to-Sunday week (`week.from`..`week.to`). */
  day: summaryResponseSchema,
  week: summaryResponseSchema,
});

const exportInput = z
  .object({
    from: isoDate,
    to: isoDate,
    tz: ianaZone,
    groupBy: summaryQuerySchema.shape.groupBy.default('day'),
    /** One member, or everyone the manager may see when absent. */
    userId: uuid.optional(),
  })
  .strict()
  .refine((v) => v.to >= v.from, { message: 'must be on or after the first day', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= MAX_REPORT_DAYS * 86_400_000, { message: `a range spans at most ${MAX_REPORT_DAYS} days`, path: ['to'] });

export const managerMethods = {
  /** The people the signed-in manager may see (their teams' members and themselves; an admin: the org). */
  'manager.members': { input: z.object({}).strict(), output: userListResponseSchema },
  /** One member's day as 10-minute slots in the viewer's zone (`tz`), with signed thumbnail and full-image links. */
  'manager.timeline': { input: viewerDay, output: managerTimelineSchema },
  /** Tracked and active time per project for the day and its week, in the viewer's zone. */
  'manager.totals': { input: viewerDay, output: managerTotalsSchema },
  /** Who is tracking now (a running entry reported within the last minutes). */
  'manager.now': { input: z.object({}).strict(), output: teamNowResponseSchema },
  /** The summary of a range as CSV (the server writes the export to its audit log). */
  'manager.exportCsv': {
    input: exportInput,
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  },
  /**
   * The full-size image behind a timeline screenshot's `fullUrl`: the core follows the server's
   * audited redirect and hands back the short-lived signed store URL.
   */
  'manager.fullImage': {
    input: z.object({ screenshotId: uuidV7, fullUrl: z.url().max(4096) }).strict(),
    output: z.object({ screenshotId: uuidV7, url: z.url() }),
  },
} as const;
