import { memo, useState } from 'react';
import { Button } from 'react-aria-components';
import type { TimelineSlot } from '../../../shared/http/timeline';
import { SLOT_MINUTES } from '../../../shared/time';
import type { ManagerDay } from '../../stores/manager.store';
import { formatTracked } from '../../stores/timer.store';

const HOUR_MS = 3_600_000;
const SLOT_MS = SLOT_MINUTES * 60_000;
const SLOTS_PER_HOUR = 60 / SLOT_MINUTES;
/** Thumbnail boxes per slot: a slot holds at most this many screenshots side by side (more: "+n"). */
export const THUMBS_PER_SLOT = 3;

interface Hour {
  start: number;
  label: string;
  cells: Array<TimelineSlot | null>;
}

/** The day's slots as whole hours of six 10-minute cells in the viewer's zone, from the first hour with data to the last. */
export function hoursOf(slots: TimelineSlot[], tz: string): Hour[] {
  if (slots.length === 0) return [];
  const column = (s: TimelineSlot) => Number(s.label.slice(3, 5)) / SLOT_MINUTES;
  const hourStart = (s: TimelineSlot) => Date.parse(s.start) - column(s) * SLOT_MS;
  const fmt = new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const byHour = new Map<number, Array<TimelineSlot | null>>();
  for (const s of slots) {
    const start = hourStart(s);
    const cells = byHour.get(start) ?? new Array<TimelineSlot | null>(SLOTS_PER_HOUR).fill(null);
    cells[column(s)] = s;
    byHour.set(start, cells);
  }
  const first = Math.min(...byHour.keys());
  const last = Math.max(...byHour.keys());
  const hours: Hour[] = [];
  for (let start = first; start <= last; start += HOUR_MS)
    hours.push({ start, label: fmt.format(start), cells: byHour.get(start) ?? new Array<TimelineSlot | null>(SLOTS_PER_HOUR).fill(null) });
  return hours;
}

function Thumb({ url, label, onOpen }: { url: string | null; label: string; onOpen(): void }) {
  const [failed, setFailed] = useState(false);
  return (
    <Button className="thumb-box" onPress={onOpen} aria-label={label}>
      {url && !failed ? (
        <img src={url} alt="" loading="lazy" decoding="async" width={320} height={200} onError={() => setFailed(true)} data-thumb="" />
      ) : (
        <span className="thumb-missing">{failed ? 'not loaded' : 'no preview'}</span>
      )}
    </Button>
  );
}

function SlotCell({ slot, firstShot, onOpen }: { slot: TimelineSlot; firstShot: number; onOpen(index: number): void }) {
  const shown = slot.screenshots.slice(0, THUMBS_PER_SLOT);
  const more = slot.screenshots.length - shown.length;
  const pct = slot.activityPercent;
  return (
    <li className="slot" aria-label={`${slot.label}: ${formatTracked(slot.trackedSeconds)} tracked${pct === null ? '' : `, activity ${pct} %`}${slot.project ? `, ${slot.project.name}` : ''}`}>
      <span className="slot-time">{slot.label}</span>
      <div className="thumbs">
        {Array.from({ length: THUMBS_PER_SLOT }, (_, i) => {
          const s = shown[i];
          if (!s) return <span key={i} className="thumb-box thumb-empty" aria-hidden="true" />;
          return <Thumb key={s.id} url={s.thumbUrl} label={`Open the screenshot of ${slot.label}, display ${s.displayId}, full size`} onOpen={() => onOpen(firstShot + i)} />;
        })}
      </div>
      {more > 0 && <span className="hint">+{more} more</span>}
      <div className="slot-activity">
        <div className="activity-bar" role="meter" aria-label="Activity" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? 0} aria-valuetext={pct === null ? 'no activity recorded' : `${pct} %`}>
          <span style={{ inlineSize: `${pct ?? 0}%` }} />
        </div>
        <span className="slot-pct" aria-hidden="true">
          {pct === null ? '—' : `${pct} %`}
        </span>
      </div>
      <p className="slot-project">{slot.project?.name ?? 'No project'}</p>
      <p className="slot-apps">{slot.topApps.slice(0, 2).map((a) => a.app).join(', ') || '—'}</p>
    </li>
  );
}

/**
 * The day as hour rows of 10-minute cells: thumbnails in fixed boxes (no layout shift while they load).
 * Memoised: the page's other reads (totals, who is tracking, the lightbox) do not redraw 48 slots.
 */
export const DayTimeline = memo(function DayTimeline({ day, tz, onOpen }: { day: ManagerDay; tz: string; onOpen(index: number): void }) {
  const hours = hoursOf(day.slots, tz);
  const firstShotOf = new Map<string, number>();
  let n = 0;
  for (const s of day.slots) {
    firstShotOf.set(s.start, n);
    n += s.screenshots.length;
  }
  return (
    <div className="day" aria-label={`Timeline of ${day.date}`} role="region">
      {hours.map((h) => (
        <section key={h.start} className="hour" aria-label={`Hour from ${h.label}`}>
          <h3 className="hour-label">{h.label}</h3>
          <ol className="hour-slots">
            {h.cells.map((slot, i) =>
              slot ? <SlotCell key={slot.start} slot={slot} firstShot={firstShotOf.get(slot.start) ?? 0} onOpen={onOpen} /> : <li key={i} className="slot slot-none" aria-hidden="true" />,
            )}
          </ol>
        </section>
      ))}
    </div>
  );
});
