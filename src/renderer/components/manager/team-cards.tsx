import { Button } from 'react-aria-components';
import type { SummaryResponse } from '../../../shared/tracker-manager';
import type { ManagerState } from '../../stores/manager.store';
import { formatTracked } from '../../stores/timer.store';
import { ErrorNote } from './error-note';
import { formatClock } from '../../stores/sync-words';

function TotalsTable({ caption, summary }: { caption: string; summary: SummaryResponse }) {
  const total = summary.rows.reduce((s, r) => s + r.trackedSeconds, 0);
  return (
    <table className="totals">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col">Tracked</th>
          <th scope="col">Activity</th>
        </tr>
      </thead>
      <tbody>
        {summary.rows.length === 0 ? (
          <tr>
            <td colSpan={3} className="muted">
              Nothing tracked
            </td>
          </tr>
        ) : (
          summary.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{formatTracked(r.trackedSeconds)}</td>
              <td>{r.activityPercent === null ? '—' : `${r.activityPercent} %`}</td>
            </tr>
          ))
        )}
      </tbody>
      {summary.rows.length > 1 && (
        <tfoot>
          <tr>
            <th scope="row">All projects</th>
            <td>{formatTracked(total)}</td>
            <td />
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** Tracked time per project for the day and its week. */
export function TotalsCard({ totals, onRetry }: { totals: ManagerState['totals']; onRetry(): void }) {
  return (
    <section className="card team-card" aria-labelledby="totals-title">
      <h2 id="totals-title">Totals</h2>
      {totals === null ? (
        <p className="empty">Pick a team member.</p>
      ) : totals.state === 'loading' ? (
        <p className="loading">Loading totals…</p>
      ) : totals.state === 'error' ? (
        <ErrorNote message={totals.error} onRetry={onRetry} />
      ) : (
        <>
          <TotalsTable caption={`Day ${totals.value.day.from}`} summary={totals.value.day} />
          <TotalsTable caption={`Week ${totals.value.week.from} – ${totals.value.week.to}`} summary={totals.value.week} />
        </>
      )}
    </section>
  );
}

/** Who of the team is tracking now, on what, since when. */
export function TrackingNowCard({ now, onRefresh }: { now: ManagerState['now']; onRefresh(): void }) {
  const tracking = now.state === 'ready' ? now.value.filter((m) => m.tracking) : [];
  return (
    <section className="card team-card" aria-labelledby="now-title">
      <div className="card-head">
        <h2 id="now-title">Tracking now</h2>
        <Button className="button small" onPress={onRefresh} aria-label="Refresh who is tracking now">
          Refresh
        </Button>
      </div>
      {now.state === 'loading' ? (
        <p className="loading">Loading…</p>
      ) : now.state === 'error' ? (
        <ErrorNote message={now.error} onRetry={onRefresh} />
      ) : tracking.length === 0 ? (
        <p className="empty">Nobody on your team is tracking right now.</p>
      ) : (
        <ul className="now-list" aria-label="Tracking now">
          {tracking.map((m) => (
            <li key={m.userId}>
              <span className="dot" aria-hidden="true" /> <strong>{m.name}</strong>{' '}
              <span className="muted">
                {m.entry ? `on ${m.entry.projectName} since ${formatClock(Date.parse(m.entry.startedAt))}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
