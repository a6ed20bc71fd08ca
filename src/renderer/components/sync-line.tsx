import { useAppStore, useNow } from '../app-context';
import { formatClock, syncInWords } from '../stores/sync-words';

/** The sync state in words, always visible; a banner when the tracker is not running. */
export function SyncLine() {
  const now = useNow(15_000);
  const status = useAppStore((s) => s.status, (s) => s.status);
  const connection = useAppStore((s) => s.status, (s) => s.connection);
  const offlineSince = useAppStore((s) => s.status, (s) => s.offlineSince);
  const text = syncInWords({ status, connection, offlineSince, now, formatTime: formatClock });
  const tone = connection === 'down' ? 'danger' : status?.sync.state === 'signed-out' ? 'muted' : status?.sync.state === 'offline' || (status?.queue.dead ?? 0) > 0 ? 'warn' : 'ok';
  return (
    <p className={`sync-line tone-${tone}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
      {connection === 'down' && <span className="muted"> — reconnecting by itself</span>}
    </p>
  );
}
