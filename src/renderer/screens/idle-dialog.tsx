import { useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useApp, useAppStore, useNow } from '../app-context';
import { ProjectPicker } from '../components/project-picker';
import { idleMinutes } from '../stores/idle.store';
import { formatClock } from '../stores/sync-words';

const NO_PROJECTS: never[] = [];

/** Opens by itself when an idle span waits: keep the time, discard it, or give it to another project. */
export function IdleDialog() {
  const { stores } = useApp();
  const now = useNow(15_000);
  const { pending, busy, error } = useAppStore((s) => s.idle, (s) => s);
  const projects = useAppStore((s) => s.timer, (s) => s.projects) ?? NO_PROJECTS;
  const [assignTo, setAssignTo] = useState<{ projectId: string | null; taskId: string | null }>({ projectId: null, taskId: null });
  const span = pending[0];
  const idle = stores.idle.getState();
  return (
    <ModalOverlay className="overlay" isOpen={span !== undefined} isKeyboardDismissDisabled>
      <Modal className="modal">
        <Dialog className="dialog" role="alertdialog">
          {span && (
            <>
              <Heading slot="title">You were away for {idleMinutes(span, now)} min</Heading>
              <p>
                No keyboard or mouse input from {formatClock(Date.parse(span.startedAt))}
                {span.endedAt ? ` to ${formatClock(Date.parse(span.endedAt))}` : ' until now'}. What should happen to that time?
              </p>
              <div className="actions">
                <Button className="button primary" onPress={() => void idle.decide({ decision: 'keep' })} isDisabled={busy}>
                  Keep it
                </Button>
                <Button className="button danger" onPress={() => void idle.decide({ decision: 'discard' })} isDisabled={busy}>
                  Discard it
                </Button>
              </div>
              <div className="assign">
                <ProjectPicker label="Or assign it to" projects={projects} value={assignTo} onChange={(projectId, taskId) => setAssignTo({ projectId, taskId })} isDisabled={busy} />
                <Button
                  className="button"
                  isDisabled={busy || !assignTo.projectId}
                  onPress={() => assignTo.projectId && void idle.decide({ decision: 'assign', projectId: assignTo.projectId, taskId: assignTo.taskId })}
                >
                  Assign
                </Button>
              </div>
              {error && <p className="error" role="alert">{error}</p>}
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
