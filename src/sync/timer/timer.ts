import type { Clock, TimerHandle } from '../clock';
import type { StorageHealth } from '../db/storage-health';
import type { EntriesRepository, Entry, StopReason } from './entries.repository';

export const HEARTBEAT_MS = 10_000;

/**
 * Start/stop persist at once. While running, a heartbeat is written every HEARTBEAT_MS so that
 * after a crash or power cut the entry is closed at its last sign of life, never stretched
 * over the downtime.
 */
export function createTimer(deps: {
  entries: EntriesRepository;
  clock: Clock;
  heartbeatMs?: number;
  /** A heartbeat the outbox refused (disk full): reported, and the next beat tries again. */
  onWrite?: Pick<StorageHealth, 'ok' | 'failed'>;
}) {
  const { entries, clock } = deps;
  const every = deps.heartbeatMs ?? HEARTBEAT_MS;
  let beat: TimerHandle | null = null;

  const arm = () => {
    if (beat) clock.clearTimeout(beat);
    beat = null;
    const open = entries.open();
    if (!open) return;
    beat = clock.setTimeout(() => {
      try {
        entries.heartbeat(open.id, clock.now());
        deps.onWrite?.ok('heartbeat');
      } catch (err) {
        deps.onWrite?.failed('heartbeat', `heartbeat of entry ${open.id}`, err);
      }
      arm();
    }, every);
  };

  return {
    running: (): Entry | null => entries.open(),
    start(projectId: string, taskId: string | null): Entry {
      const now = clock.now();
      const cur = entries.open();
      if (cur && cur.projectId === projectId && cur.taskId === taskId) return cur;
      if (cur) entries.end(cur.id, now, 'user', now);
      const e = entries.start(projectId, taskId, now, now);
      arm();
      return e;
    },
    stop(reason: StopReason = 'user', at?: number): Entry | null {
      const now = clock.now();
      const cur = entries.open();
      const ended = cur ? entries.end(cur.id, at ?? now, reason, now) : null;
      arm();
      return ended;
    },
    /** At start-up: entries a previous run left open end at their last heartbeat. */
    closeCrashed(): Entry[] {
      const now = clock.now();
      return entries
        .allOpen()
        .map((e) => entries.end(e.id, e.heartbeatAt, 'crash', now))
        .filter((e): e is Entry => e !== null);
    },
    resume(): void {
      arm();
    },
    dispose(): void {
      if (beat) clock.clearTimeout(beat);
      beat = null;
    },
  };
}
export type Timer = ReturnType<typeof createTimer>;
