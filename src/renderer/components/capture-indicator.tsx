import { useAppStore, useNow } from '../app-context';
import { formatClock } from '../stores/sync-words';

const SHOW_MS = 8000;

/** Visible for a few seconds whenever a screenshot is taken, so a capture never goes unnoticed. */
export function CaptureIndicator() {
  const now = useNow(1000);
  const at = useAppStore((s) => s.status, (s) => s.lastCaptureAt);
  const error = useAppStore((s) => s.status, (s) => s.status?.lastCaptureError ?? null);
  if (at !== null && now - at < SHOW_MS)
    return (
      <p className="capture-indicator" role="status">
        <span className="camera" aria-hidden="true">●</span> Screenshot taken at {formatClock(at)}
      </p>
    );
  if (error) return <p className="capture-indicator tone-warn">Last capture failed: {error}</p>;
  return <span className="capture-indicator idle" aria-hidden="true" />;
}
