import { Button } from 'react-aria-components';
import { useApp, useAppStore, useNow } from '../app-context';
import { ProjectPicker } from '../components/project-picker';
import { formatElapsed, formatTracked } from '../stores/timer.store';

export function TimerScreen() {
  const { stores } = useApp();
  const now = useNow(1000);
  const status = useAppStore((s) => s.status, (s) => s.status);
  const loadError = useAppStore((s) => s.status, (s) => s.error);
  const receivedAt = useAppStore((s) => s.status, (s) => s.receivedAt);
  const { projects, projectId, taskId, busy, error } = useAppStore((s) => s.timer, (s) => s);
  const timer = stores.timer.getState();
  if (!status || !projects) return loadError ? <p className="error" role="alert">{loadError}</p> : <p className="loading">Loading the timer…</p>;
  const running = status.running;
  // The running entry keeps adding to the totals between status events, a second each time the
  // clock shows one more (whole seconds since the entry's start, now against when the status came).
  const secondsOf = (at: number) => (running ? Math.floor((at - Date.parse(running.startedAt)) / 1000) : 0);
  const ticking = running ? Math.max(0, secondsOf(now) - secondsOf(receivedAt)) : 0;
  const runningName = running && projects.find((p) => p.id === running.projectId)?.name;
  return (
    <div className="stack">
      <section className="card timer-card" aria-label="Timer">
        {projects.length === 0 ? (
          <p className="empty">No projects yet. Your manager adds them on the server; they appear here after the next sync.</p>
        ) : (
          <ProjectPicker
            label="Project or task"
            projects={projects}
            value={{ projectId, taskId }}
            onChange={(p, t) => timer.pick(p, t)}
            isDisabled={busy}
            {...(running && projectId && projectId !== running.projectId ? { description: 'Press Switch to move the running timer to this project.' } : {})}
          />
        )}
        <div className="timer-row">
          <p className="elapsed" aria-live="off">
            {running ? formatElapsed(running.startedAt, now) : '0:00:00'}
          </p>
          <p className="muted">{running ? `Tracking ${runningName ?? 'a project'}` : 'Not tracking'}</p>
          <div className="actions">
            {running && projectId && projectId !== running.projectId && (
              <Button className="button" onPress={() => void timer.start()} isDisabled={busy}>
                Switch
              </Button>
            )}
            {running ? (
              <Button className="button danger" onPress={() => void timer.stop()} isDisabled={busy}>
                Stop
              </Button>
            ) : (
              <Button className="button primary" onPress={() => void timer.start()} isDisabled={busy || !projectId}>
                Start
              </Button>
            )}
          </div>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </section>
      <section className="stats" aria-label="Totals">
        <Stat label="Today" value={formatTracked(status.todaySeconds + ticking)} />
        <Stat label="This week" value={formatTracked(status.weekSeconds + ticking)} />
        <Stat label="Activity now" value={status.activityPercent === null ? '—' : `${status.activityPercent} %`} hint="active share of this 10-minute slot" />
      </section>
    </div>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="card stat">
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}
