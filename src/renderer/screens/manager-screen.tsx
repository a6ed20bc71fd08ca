import { useCallback, useEffect, useState } from 'react';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { useApp, useAppStore } from '../app-context';
import { DateInputField } from '../components/manager/date-input';
import { DayTimeline } from '../components/manager/day-timeline';
import { Lightbox } from '../components/manager/lightbox';
import { CsvExport, saveCsv } from '../components/manager/csv-export';
import { TotalsCard, TrackingNowCard } from '../components/manager/team-cards';
import { dayShots, rememberMember, todayIn } from '../stores/manager.store';
import { formatTracked } from '../stores/timer.store';
import { ErrorNote } from '../components/manager/error-note';

/** Images blocked by the window's CSP (a server signed in after the page loaded): the page says so and offers a reload. */
function useBlockedImages(): string | null {
  const [blocked, setBlocked] = useState<string | null>(null);
  useEffect(() => {
    const on = (e: SecurityPolicyViolationEvent) => {
      if (e.effectiveDirective === 'img-src') setBlocked(new URL(e.blockedURI, location.href).origin);
    };
    document.addEventListener('securitypolicyviolation', on);
    return () => document.removeEventListener('securitypolicyviolation', on);
  }, []);
  return blocked;
}

/** The team's timeline: a member's day in 10-minute slots, totals, who is tracking now, CSV export. */
export function ManagerScreen() {
  const { stores } = useApp();
  const m = useAppStore((s) => s.manager, (s) => s);
  const actions = stores.manager.getState();
  const blocked = useBlockedImages();
  const openShot = useCallback((index: number) => void stores.manager.getState().openShot(index), [stores.manager]);
  // The page's data is asked for by the navigation when the page opens (app.tsx), not here after the first draw.
  useEffect(() => {
    if (m.memberId) rememberMember(m.memberId);
  }, [m.memberId]);
  const today = todayIn(m.tz, Date.now());
  const members = m.members.state === 'ready' ? m.members.value : [];
  const member = members.find((u) => u.id === m.memberId) ?? null;
  const shots = m.day?.state === 'ready' ? dayShots(m.day.value) : [];

  if (m.members.state === 'error')
    return (
      <ErrorNote message={m.members.error} onRetry={() => void actions.open(m.memberId)} />
    );
  return (
    <div className="team">
      {blocked && (
        <p className="notice">
          Images from {blocked} are not allowed in this window yet (it was opened before signing in there).{' '}
          <Button className="button small" onPress={() => location.reload()}>
            Reload the window
          </Button>
        </p>
      )}
      <div className="team-toolbar" role="group" aria-label="Member and day">
        <Select className="field member-select" selectedKey={m.memberId} onSelectionChange={(k) => void actions.pick(String(k))} isDisabled={m.members.state === 'loading'} placeholder="Loading the team…">
          <Label>Team member</Label>
          <Button className="select-button">
            <SelectValue />
            <span aria-hidden="true">▾</span>
          </Button>
          <Popover className="popover">
            <ListBox className="listbox" items={members}>
              {(u) => (
                <ListBoxItem id={u.id} className="option" textValue={u.name}>
                  {u.name} <span className="muted">· {u.role}</span>
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </Select>
        <DateInputField label="Day" value={m.date} max={today} onChange={(d) => void actions.setDate(d)} />
        <div className="day-buttons">
          <Button className="button" onPress={() => void actions.shiftDay(-1)} aria-label="Previous day">
            ← Previous
          </Button>
          <Button className="button" onPress={() => void actions.goToday()} isDisabled={m.date === today}>
            Today
          </Button>
          <Button className="button" onPress={() => void actions.shiftDay(1)} isDisabled={m.date >= today} aria-label="Next day">
            Next →
          </Button>
        </div>
        <p className="muted tz-note">Times in {m.tz}</p>
      </div>

      <div className="team-grid">
        <section className="card day-card" aria-labelledby="day-title" aria-busy={m.day?.state === 'loading'}>
          <h2 id="day-title">
            {member ? `${member.name}, ${new Date(`${m.date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })}` : 'Day'}
          </h2>
          {m.day === null ? (
            <p className="empty">{m.members.state === 'loading' ? 'Loading the team…' : 'Nobody on your team yet.'}</p>
          ) : m.day.state === 'loading' ? (
            <p className="loading">Loading the day…</p>
          ) : m.day.state === 'error' ? (
            <ErrorNote message={m.day.error} onRetry={() => void actions.reloadDay()} />
          ) : (
            <>
              <p className="day-summary">
                <strong>{formatTracked(m.day.value.totals.trackedSeconds)}</strong> tracked
                {m.day.value.totals.trackedSeconds > 0 && <> · {Math.round((100 * m.day.value.totals.activeSeconds) / m.day.value.totals.trackedSeconds)} % active</>} · {shots.length}{' '}
                {shots.length === 1 ? 'screenshot' : 'screenshots'}
              </p>
              {m.day.value.retention.purged !== 'none' && (
                <p className="notice">
                  {m.day.value.retention.purged === 'all' ? 'The screenshots of this day were' : 'Some screenshots of this day were'} deleted: your organisation keeps them{' '}
                  {m.day.value.retention.days} days. Tracked time and activity stay.
                </p>
              )}
              {m.day.value.slots.length === 0 ? (
                <p className="empty">{member?.name ?? 'They'} tracked nothing on this day.</p>
              ) : (
                <DayTimeline day={m.day.value} tz={m.tz} onOpen={openShot} />
              )}
            </>
          )}
        </section>
        <aside className="team-side">
          <TotalsCard totals={m.totals} onRetry={() => void actions.reloadDay()} />
          <TrackingNowCard now={m.now} onRefresh={() => void actions.refreshNow()} />
          <CsvExport date={m.date} today={today} memberName={member?.name ?? null} state={m.exported} onExport={(r) => void actions.exportCsv(r, saveCsv)} />
        </aside>
      </div>
      <Lightbox shots={shots} open={m.lightbox} onMove={(s) => void actions.moveShot(s)} onClose={() => actions.closeShot()} />
    </div>
  );
}
