import { z } from 'zod';
import { uuid } from '../ids';
import { isoInstant } from '../time';

/**
 * What a device says about itself in each POST /v1/sync/push (`device`, optional: older devices
 * send none): its version, what waits on it, and whether IT's policy file applied. The figures
 * leave out the ops of the push that carries them (those are on the server once it answers).
 */
export const deviceReportSchema = z
  .object({
    appVersion: z.string().min(1).max(64),
    queue: z
      .object({
        /** Screenshots on the device not confirmed by the server (review window included). */
        screenshots: z.number().int().min(0),
        /** Time, activity and other records not on the server yet. */
        ops: z.number().int().min(0),
        /** Records the server refused for good: they wait on the device for someone to look. */
        deadLetters: z.number().int().min(0),
        /** When the oldest record still waiting was made; null when nothing waits. */
        oldestUnsyncedAt: isoInstant.nullable(),
      })
      .strict(),
    /** Why the device's policy file was not applied, field by field; null when it was (or there is none). */
    policyError: z.string().max(2000).nullable(),
  })
  .strict();
export type DeviceReport = z.infer<typeof deviceReportSchema>;

/** One device in GET /v1/fleet (admins: every device of their org; never another org's). */
export const fleetDeviceSchema = z.object({
  id: uuid,
  name: z.string(),
  platform: z.string(),
  user: z.object({ id: uuid, name: z.string(), email: z.string() }),
  createdAt: isoInstant,
  /** Last request with the device's credential (a push, a token refresh). */
  lastSeenAt: isoInstant.nullable(),
  revokedAt: isoInstant.nullable(),
  /** From the device's last report; null until it sent one (older versions never do). */
  appVersion: z.string().nullable(),
  reportedAt: isoInstant.nullable(),
  queue: deviceReportSchema.shape.queue.nullable(),
  policyError: z.string().nullable(),
});
export type FleetDevice = z.infer<typeof fleetDeviceSchema>;

/** GET /v1/fleet */
export const fleetResponseSchema = z.object({
  devices: z.array(fleetDeviceSchema),
  /** The server's clock when the list was made (ages are relative to it). */
  generatedAt: isoInstant,
});
export type FleetResponse = z.infer<typeof fleetResponseSchema>;
