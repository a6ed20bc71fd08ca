import { SLOT_SECONDS } from '../../src/shared/time';
import type { TimelineResponse, TimelineSlot } from '../../src/shared/http/timeline';
import { notFound } from '../errors/http-error';
import { daySlots, daySlotsFromRollups, dayScreenshots } from '../store/timeline.repository';
import { canSee, findUser } from '../store/users.repository';
import { activityPercent } from '../../src/shared/rules/activity-percent';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';
import { signedViewUrls } from './view-urls';

/**
 * A user-day in the viewer's zone as 10-minute slots with activity, project, top apps and
 * screenshots. Read from the reader pool when one is configured (DATABASE_READ_URL), activity
 * from the 5-minute rollups unless the zone does not fall on their boundaries.
 */
export async function timeline(ctx: ServiceContext, by: Principal, q: { userId: string; date: string; tz: string }): Promise<TimelineResponse> {
  const { minutes, shots } = await (ctx.reads ?? ctx.db).inOrg(by.orgId, async (tx) => {
    if (!(await findUser(tx, q.userId)) || !(await canSee(tx, by, q.userId))) throw notFound('no such user visible to you');
    const rolled = ctx.settings.timelineActivity === 'rollups' ? await daySlotsFromRollups(tx, by.orgId, q.userId, q.date, q.tz) : null;
    return {
      minutes: rolled ?? (await daySlots(tx, by.orgId, q.userId, q.date, q.tz)),
      shots: await dayScreenshots(tx, by.orgId, q.userId, q.date, q.tz),
    };
  });
  const slots = new Map<number, TimelineSlot>();
  const slotFor = (start: Date, label: string): TimelineSlot => {
    let slot = slots.get(start.getTime());
    if (!slot) {
      slot = {
        start: start.toISOString(),
        end: new Date(start.getTime() + SLOT_SECONDS * 1000).toISOString(),
        label,
        trackedSeconds: 0,
        activeSeconds: 0,
        activityPercent: null,
        project: null,
        topApps: [],
        screenshots: [],
      };
      slots.set(start.getTime(), slot);
    }
    return slot;
  };
  for (const m of minutes) {
    const slot = slotFor(m.slot_start, m.label);
    slot.trackedSeconds = m.tracked;
    slot.activeSeconds = m.active;
    slot.activityPercent = activityPercent(m.active, m.tracked);
    slot.topApps = m.top_apps;
    slot.project = m.project_id ? { id: m.project_id, name: m.project_name ?? '' } : null;
  }
  for (const s of shots) {
    const urls = await signedViewUrls(ctx, by, s);
    slotFor(s.slot_start, s.label).screenshots.push({
      id: s.id,
      takenAt: s.taken_at.toISOString(),
      displayId: s.display_id,
      width: s.width,
      height: s.height,
      ...urls,
    });
  }
  const ordered = [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => slot);
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
