import { z } from 'zod';

/** Instants cross every boundary as ISO 8601 UTC strings ("...Z"). */
export const isoInstant = z.iso.datetime({ offset: false, precision: undefined });

/** A calendar day, in a zone given beside it. */
export const isoDate = z.iso.date().refine((d) => !d.startsWith('0000'), 'year 0 does not exist: use 0001 or later');

/** An IANA time zone name such as "Asia/Kathmandu" (checked against the runtime's tz database). */
export const ianaZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone name');

export const SLOT_MINUTES = 10;
export const SLOT_SECONDS = SLOT_MINUTES * 60;
