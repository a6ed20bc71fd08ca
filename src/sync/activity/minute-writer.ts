import type { MinuteActivity } from './minute-accumulator';
import type { StorageHealth } from '../db/storage-health';

/** Most minutes kept in memory while the outbox cannot be written: a day. */
const MAX_UNSAVED = 1440;

/**
 * Stores each closed minute; a minute the outbox refuses (disk full) is kept and written before
 * the next one, so a spell without space loses no activity unless it lasts longer than a day.
 */
export function createMinuteWriter(deps: {
  save(m: MinuteActivity, entryId: string | null): void;
  health: StorageHealth;
}) {
  const unsaved: Array<{ m: MinuteActivity; entryId: string | null }> = [];
  return {
    /** Returns whether this minute (and every earlier one) is durable now. */
    write(m: MinuteActivity, entryId: string | null): boolean {
      unsaved.push({ m, entryId });
      if (unsaved.length > MAX_UNSAVED) unsaved.shift();
      try {
        while (unsaved.length) {
          const next = unsaved[0]!;
          deps.save(next.m, next.entryId);
          unsaved.shift();
        }
        deps.health.ok('activity');
        return true;
      } catch (err) {
        deps.health.failed('activity', `activity minute ${new Date(m.minuteStart).toISOString()}`, err);
        return false;
      }
    },
    unsaved: () => unsaved.length,
  };
}
