import { z } from 'zod';

/** Instants cross every boundary as ISO 8601 UTC strings ("...Z"). */
export const isoInstant = z.iso.datetime({ offset: false, precision: undefined });

/** A calendar day, in a zone given beside it. */
export const isoDate = z.iso.date().refine((d) => !d.startsWith('0000'), 'year 0 does not exist: use 0001 or later');

// Building an Intl.DateTimeFormat to test a name costs more than the rest of a timeline request's
// validation: names that passed are remembered (the tz database is finite; the cap bounds odd casings).
const knownZones = new Set<string>();

function isZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  if (knownZones.size < 2000) knownZones.add(tz);
  return true;
}

/** An IANA time zone name such as "Asia/Kathmandu" (checked against the runtime's tz database). */
export const ianaZone = z.string().min(1).max(64).refine(isZone, 'must be an IANA time zone name');

export const SLOT_MINUTES = 10;
export const SLOT_SECONDS = SLOT_MINUTES * 60;
