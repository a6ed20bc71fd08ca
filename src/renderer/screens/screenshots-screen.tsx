import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useApp, useAppStore, useNow } from '../app-context';
import { canDelete, type Shot } from '../stores/screenshots.store';
import { formatClock } from '../stores/sync-words';

const stateWords: Record<Shot['state'], string> = { captured: 'on this device', uploading: 'uploading', done: 'synced', dead: 'could not be sent' };

export function ScreenshotsScreen() {
  const { stores } = useApp();
  const now = useNow(5000);
  const { shots, error, viewing } = useAppStore((s) => s.screenshots, (s) => s);
  const inReview = useAppStore((s) => s.status, (s) => s.status?.inReview ?? 0);
  const actions = stores.screenshots.getState();
  if (!shots) return error ? <p className="error" role="alert">{error}</p> : <p className="loading">Loading screenshots…</p>;
  const open = viewing ? shots.find((s) => s.id === viewing.id) : undefined;
  return (
    <div className="stack">
      {inReview > 0 && <p className="notice">{inReview} waiting in review: nobody else can see them until the review window ends. Delete any you do not want sent.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {shots.length === 0 ? (
        <p className="empty">No screenshots yet. They are taken at random moments while the timer runs.</p>
      ) : (
        <ul className="shots" aria-label="Recent screenshots">
          {shots.map((s) => (
            <li key={s.id} className="card shot">
              <Button className="shot-open" onPress={() => void actions.open(s.id)} aria-label={`${s.thumbnailDataUrl ? '' : 'No preview: '}View the screenshot of ${formatClock(Date.parse(s.takenAt))}, display ${s.displayId}, full size`}>
                {s.thumbnailDataUrl ? <img src={s.thumbnailDataUrl} alt="" width={160} height={Math.round((160 * s.height) / Math.max(1, s.width))} /> : <span className="no-thumb">no preview</span>}
              </Button>
              <div className="shot-meta">
                <p>
                  <strong>{formatClock(Date.parse(s.takenAt))}</strong> · display {s.displayId}
                </p>
                <p className="muted">{stateWords[s.state]}</p>
                {canDelete(s, now) ? (
                  <Button className="button small danger" onPress={() => void actions.remove(s.id)}>
                    Delete (until {formatClock(Date.parse(s.deletableUntil))})
                  </Button>
                ) : (
                  <p className="hint">{s.state === 'done' ? 'The delete window has closed: ask your manager to remove it' : 'The delete window has closed'}</p>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ModalOverlay className="overlay" isDismissable isOpen={viewing !== null} onOpenChange={(o) => !o && actions.close()}>
        <Modal className="modal wide">
          <Dialog className="dialog">
            <Heading slot="title">Screenshot {open ? `of ${formatClock(Date.parse(open.takenAt))}, display ${open.displayId}` : ''}</Heading>
            {viewing?.error ? (
              <p className="error" role="alert">{viewing.error}</p>
            ) : viewing?.dataUrl ? (
              <img className="full-shot" src={viewing.dataUrl} alt={`Full-size screenshot${open ? ` of display ${open.displayId}` : ''}`} />
            ) : (
              <p className="loading">Loading the full image…</p>
            )}
            <div className="actions">
              {open && canDelete(open, now) && (
                <Button className="button danger" onPress={() => void actions.remove(open.id)}>
                  Delete
                </Button>
              )}
              <Button className="button" slot="close" autoFocus>
                Close
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </div>
  );
}
