import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { DayShot } from '../../stores/manager.store';

/** One full-size screenshot of the day; ← and → (or the buttons) move between the day's images. */
export function Lightbox(p: {
  shots: DayShot[];
  open: { index: number; url: string | null; error: string | null } | null;
  onMove(step: number): void;
  onClose(): void;
}) {
  const shot = p.open ? p.shots[p.open.index] : undefined;
  const index = p.open?.index ?? 0;
  return (
    <ModalOverlay className="overlay" isDismissable isOpen={p.open !== null} onOpenChange={(o) => !o && p.onClose()}>
      <Modal className="modal wide">
        <Dialog className="dialog lightbox">
          {/* Arrow keys from anywhere in the dialog (the focused button, the image) move between images. */}
          <div
            className="lightbox-body"
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft') p.onMove(-1);
              if (e.key === 'ArrowRight') p.onMove(1);
            }}
          >
          <Heading slot="title">
            Screenshot of {shot ? `${new Date(shot.takenAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}, display ${shot.displayId}` : ''}
          </Heading>
          <p className="hint">
            {index + 1} of {p.shots.length} · ← and → move between the day's screenshots · each view is recorded in the audit log
          </p>
          <div className="lightbox-frame">
            {p.open?.error ? (
              <p className="error" role="alert">
                {p.open.error}
              </p>
            ) : p.open?.url ? (
              <img className="lightbox-image" src={p.open.url} alt={`Full-size screenshot${shot ? ` of display ${shot.displayId} at ${shot.slotLabel}` : ''}`} />
            ) : (
              <p className="loading">Loading the full image…</p>
            )}
          </div>
          <div className="actions">
            <Button className="button" onPress={() => p.onMove(-1)} isDisabled={index === 0}>
              ← Previous
            </Button>
            <Button className="button" onPress={() => p.onMove(1)} isDisabled={index >= p.shots.length - 1}>
              Next →
            </Button>
            <Button className="button" slot="close" autoFocus>
              Close
            </Button>
          </div>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
