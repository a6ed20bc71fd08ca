import { z } from 'zod';
import { v7 } from 'uuid';

/** Every record id is a UUIDv7 made on the device (time-ordered, collision-free offline). */
export const uuidV7 = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'must be a UUIDv7');

/** Server-made ids (orgs, users, projects) are any RFC 4122 UUID. */
export const uuid = z.uuid();

export type UuidV7 = z.infer<typeof uuidV7>;

/** A fresh UUIDv7 (time-ordered). `at` pins its timestamp to an instant (ms). */
export function newId(at?: number): string {
  return at === undefined ? v7() : v7({ msecs: at });
}

/** The millisecond timestamp a UUIDv7 carries. */
export function idTime(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
