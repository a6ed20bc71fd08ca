import { Button } from 'react-aria-components';
import { useApp, useAppStore, useNow } from '../app-context';
import { formatClock, syncInWords } from '../stores/sync-words';

const kb = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export function SyncScreen() {
  const { stores } = useApp();
  const now = useNow(15_000);
  const { status, connection, offlineSince } = useAppStore((s) => s.status, (s) => s);
  const { dead, error, retrying } = useAppStore((s) => s.sync, (s) => s);
  const sync = stores.sync.getState();
  if (!status) return <p className="loading">Loading sync status…</p>;
  const q = status.queue;
  return (
    <div className="stack">
      <section className="card">
        <p className="big">{syncInWords({ status, connection, offlineSince, now, formatTime: formatClock })}</p>
        <dl className="facts">
          <dt>Screenshots waiting</dt>
          <dd>{q.screenshots}{status.inReview > 0 ? ` (${status.inReview} in review)` : ''}</dd>
          <dt>Time and activity records waiting</dt>
          <dd>{q.ops}</dd>
          <dt>Still to send</dt>
          <dd>{kb(q.bytesPending)}</dd>
          <dt>Last successful sync</dt>
          <dd>{status.sync.lastSuccessAt ? formatClock(Date.parse(status.sync.lastSuccessAt)) : 'not yet'}</dd>
          {status.sync.lastError && (
            <>
              <dt>Last problem</dt>
              <dd>{status.sync.lastError}</dd>
            </>
          )}
        </dl>
        {status.storageError && (
          <p className="error" role="alert">
            This device cannot save to its disk ({status.storageError}). Tracking goes on and is saved as soon as there is room: free some disk space.
          </p>
        )}
        <p className="hint">Nothing is lost while offline: records wait on this device and are sent when the server is reachable.</p>
      </section>
      <section className="card" aria-labelledby="dead-title">
        <h2 id="dead-title">Could not be sent</h2>
        {error && <p className="error" role="alert">{error}</p>}
        {dead === null ? (
          <p className="loading">Loading…</p>
        ) : dead.length === 0 ? (
          <p className="empty">Nothing. Every record was accepted or is still on its way.</p>
        ) : (
          <>
            <ul className="dead-list">
              {dead.map((d) => (
                <li key={d.id}>
                  <span>
                    <strong>{d.kind === 'screenshot' ? 'Screenshot' : 'Record'}</strong> — {d.reason} ({d.attempts} tries, last at {formatClock(Date.parse(d.failedAt))})
                  </span>
                  <Button className="button small" onPress={() => void sync.retry(d.id)} isDisabled={retrying}>
                    Retry
                  </Button>
                </li>
              ))}
            </ul>
            <Button className="button" onPress={() => void sync.retry()} isDisabled={retrying}>
              Retry all
            </Button>
          </>
        )}
      </section>
    </div>
  );
}
