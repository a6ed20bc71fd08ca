import { SLOT_SECONDS } from '../../src/shared/time';
import type { TimelineResponse, TimelineSlot } from '../../src/shared/http/timeline';
import { notFound } from '../http/http-error';
import { dayMinutes, dayScreenshots } from '../store/timeline.repository';
import { canSee, findUser } from '../store/users.repository';
import type { ServiceContext } from './context';
import type { Principal } from './tokens';
import { signedViewUrls } from './view-urls';

const percent = (active: number, tracked: number) => (tracked > 0 ? Math.min(100, Math.round((active / tracked) * 100)) : null);

/** A user-day in the viewer's zone as 10-minute slots with activity, project, top apps and screenshots. */
export async function timeline(ctx: ServiceContext, by: Principal, q: { userId: string; date: string; tz: string }): Promise<TimelineResponse> {
  const { minutes, shots } = await ctx.db.inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, q.userId)) || !(await canSee(tx, by, q.userId))) throw notFound('no such user visible to you');
    return {
      minutes: await dayMinutes(tx, by.orgId, q.userId, q.date, q.tz),
      shots: await dayScreenshots(tx, by.orgId, q.userId, q.date, q.tz),
    };
  });
  interface Acc {
    slot: TimelineSlot;
    apps: Map<string, number>;
    projects: Map<string, { name: string; seconds: number }>;
  }
  const slots = new Map<number, Acc>();
  const slotFor = (start: Date, label: string): Acc => {
    let acc = slots.get(start.getTime());
    if (!acc) {
      acc = {
        slot: {
          start: start.toISOString(),
          end: new Date(start.getTime() + SLOT_SECONDS * 1000).toISOString(),
          label,
          trackedSeconds: 0,
          activeSeconds: 0,
          activityPercent: null,
          project: null,
          topApps: [],
          screenshots: [],
        },
        apps: new Map(),
        projects: new Map(),
      };
      slots.set(start.getTime(), acc);
    }
    return acc;
  };
  for (const m of minutes) {
    const acc = slotFor(m.slot_start, m.label);
    acc.slot.trackedSeconds += m.tracked_seconds;
    acc.slot.activeSeconds += m.active_seconds;
    for (const a of m.apps) acc.apps.set(a.app, (acc.apps.get(a.app) ?? 0) + a.seconds);
    if (m.project_id) {
      const p = acc.projects.get(m.project_id) ?? { name: m.project_name ?? '', seconds: 0 };
      p.seconds += m.tracked_seconds;
      acc.projects.set(m.project_id, p);
    }
  }
  for (const s of shots) {
    const urls = await signedViewUrls(ctx, by, s);
    slotFor(s.slot_start, s.label).slot.screenshots.push({
      id: s.id,
      takenAt: s.taken_at.toISOString(),
      displayId: s.display_id,
      width: s.width,
      height: s.height,
      ...urls,
    });
  }
  const ordered = [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([, acc]) => {
    acc.slot.activityPercent = percent(acc.slot.activeSeconds, acc.slot.trackedSeconds);
    acc.slot.topApps = [...acc.apps.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([app, seconds]) => ({ app, seconds }));
    const top = [...acc.projects.entries()].sort((a, b) => b[1].seconds - a[1].seconds)[0];
    acc.slot.project = top ? { id: top[0], name: top[1].name } : null;
    return acc.slot;
  });
  return {
    userId: q.userId,
    date: q.date,
    tz: q.tz,
    slots: ordered,
    totals: {
      trackedSeconds: ordered.reduce((s, x) => s + x.trackedSeconds, 0),
      activeSeconds: ordered.reduce((s, x) => s + x.activeSeconds, 0),
    },
  };
}
