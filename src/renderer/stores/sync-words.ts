import type { TrackerStatus } from '../../shared/tracker-api';
import type { Connection } from '../bridge/tracker-bridge';

export interface SyncWordsInput {
  status: TrackerStatus | null;
  connection: Connection;
  offlineSince: number | null;
  now: number;
  /** Clock time in the viewer's zone, e.g. "14:02". */
  formatTime(ms: number): string;
}

export const formatClock = (ms: number) =>
  new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

/** The sync state in words: honest about what waits and since when, never just "waiting". */
export function syncInWords({ status, connection, offlineSince, now, formatTime }: SyncWordsInput): string {
  if (connection === 'down') return 'Tracker not running';
  if (!status) return 'Loading…';
  const q = status.queue;
  const waiting = q.screenshots + q.ops;
  const dead = q.dead > 0 ? `; ${q.dead} could not be sent` : '';
  const oldest = q.oldestUnsyncedSeconds !== null ? `, the oldest from ${formatTime(now - q.oldestUnsyncedSeconds * 1000)}` : '';
  switch (status.sync.state) {
    case 'signed-out':
      return waiting > 0 ? `Signed out — ${waiting} waiting on this device` : 'Signed out';
    case 'offline': {
      const since = offlineSince ?? (status.sync.lastSuccessAt ? Date.parse(status.sync.lastSuccessAt) : null);
      return `${since !== null ? `Offline since ${formatTime(since)}` : 'Offline'}${waiting > 0 ? ` — ${waiting} waiting${oldest}` : ''}${dead}`;
    }
    case 'paused':
      return `Sync paused${waiting > 0 ? ` — ${waiting} waiting${oldest}` : ''}${dead}`;
    default:
      return waiting === 0 ? `All synced${dead}` : `${waiting} waiting${oldest}${dead}`;
  }
}
