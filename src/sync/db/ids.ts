import { v7 } from 'uuid';

/** UUIDv7 made on the device (time-ordered). `at` pins its timestamp to an instant (ms). */
export function newId(at?: number): string {
  return at === undefined ? v7() : v7({ msecs: at });
}

/** The millisecond timestamp a UUIDv7 carries. */
export function idTime(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
