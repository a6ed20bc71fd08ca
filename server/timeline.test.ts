import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { uploadScreenshot, eventually } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();
const deviceId = uuidv7();
const entryId = uuidv7();
let shotId: string;

function minutes(fromIso: string, count: number, active = 30) {
  const start = Date.parse(fromIso);
  return Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    kind: 'activity.minute' as const,
    minute: {
      id: uuidv7(),
      entryId,
      minuteStart: new Date(start + i * 60_000).toISOString(),
      activeSeconds: active,
      trackedSeconds: 60,
      apps: [{ app: i % 3 === 0 ? 'browser' : 'editor', seconds: 40 }],
    },
  }));
}

beforeAll(async () => {
  const push = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
    deviceId,
    sentAt: new Date().toISOString(),
    ops: [
      { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryId, projectId: fx.srv.seed.project.id, taskId: fx.srv.seed.project.taskId, startedAt: '2024-03-10T03:50:00Z', endedAt: '2024-03-10T18:21:00Z', stopReason: 'user' } },
      ...minutes('2024-03-10T03:50:00Z', 30),
      ...minutes('2024-03-10T18:20:00Z', 1),
    ],
  });
  expect(push.body.results.every((r) => r.outcome === 'applied')).toBe(true);
  shotId = await uploadScreenshot(fx.srv.url, fx.tokens.employee, deviceId, new Date('2024-03-10T04:02:00Z'));
});

const get = (date: string, tz: string) =>
  fx.as('manager').get<TimelineResponse>(`/v1/timeline?userId=${fx.srv.seed.employee.id}&date=${date}&tz=${encodeURIComponent(tz)}`);
const shape = (t: TimelineResponse) => t.slots.map((s) => [s.start, s.label, s.trackedSeconds]);

describe('timeline slots in the viewer\'s zone', () => {
  it('UTC: 10-minute slots on the hour\'s tens, with activity %, project, top apps and the screenshot', async () => {
    const t = (await get('2024-03-10', 'UTC')).body;
    expect(shape(t)).toEqual([
      ['2024-03-10T03:50:00.000Z', '03:50', 600],
      ['2024-03-10T04:00:00.000Z', '04:00', 600],
      ['2024-03-10T04:10:00.000Z', '04:10', 600],
      ['2024-03-10T18:20:00.000Z', '18:20', 60],
    ]);
    const slot = t.slots[1];
    expect(slot?.end).toBe('2024-03-10T04:10:00.000Z');
    expect(slot?.activityPercent).toBe(50);
    expect(slot?.project).toEqual({ id: fx.srv.seed.project.id, name: 'Website' });
    expect(slot?.topApps[0]).toEqual({ app: 'editor', seconds: 280 });
    expect(slot?.screenshots.map((s) => s.id)).toEqual([shotId]);
    expect(t.totals).toEqual({ trackedSeconds: 1860, activeSeconds: 930 });
  });

  it('Asia/Kolkata (+05:30): the same UTC boundaries, local labels, the day ends at 18:30 UTC', async () => {
    const t = (await get('2024-03-10', 'Asia/Kolkata')).body;
    expect(shape(t)).toEqual([
      ['2024-03-10T03:50:00.000Z', '09:20', 600],
      ['2024-03-10T04:00:00.000Z', '09:30', 600],
      ['2024-03-10T04:10:00.000Z', '09:40', 600],
      ['2024-03-10T18:20:00.000Z', '23:50', 60],
    ]);
  });

  it('Asia/Kathmandu (+05:45): slots align on the local wall clock (:05/:15 UTC) and the day ends at 18:15 UTC', async () => {
    const t = (await get('2024-03-10', 'Asia/Kathmandu')).body;
    expect(shape(t)).toEqual([
      ['2024-03-10T03:45:00.000Z', '09:30', 300],
      ['2024-03-10T03:55:00.000Z', '09:40', 600],
      ['2024-03-10T04:05:00.000Z', '09:50', 600],
      ['2024-03-10T04:15:00.000Z', '10:00', 300],
    ]);
    expect(t.slots[1]?.screenshots.map((s) => s.id)).toEqual([shotId]);
    const next = (await get('2024-03-11', 'Asia/Kathmandu')).body;
    expect(shape(next)).toEqual([['2024-03-10T18:15:00.000Z', '00:00', 60]]);
  });

  it('America/New_York on its fall-back day: the repeated 01:50 is two slots an hour apart, the 25-hour day ends at 05:00 UTC', async () => {
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [...minutes('2024-11-03T05:50:00Z', 1), ...minutes('2024-11-03T06:50:00Z', 1), ...minutes('2024-11-04T04:59:00Z', 1), ...minutes('2024-11-04T05:00:00Z', 1)],
    });
    expect(r.body.results.every((x) => x.outcome === 'applied')).toBe(true);
    expect(shape((await get('2024-11-03', 'America/New_York')).body)).toEqual([
      ['2024-11-03T05:50:00.000Z', '01:50', 60],
      ['2024-11-03T06:50:00.000Z', '01:50', 60],
      ['2024-11-04T04:50:00.000Z', '23:50', 60],
    ]);
    expect(shape((await get('2024-11-04', 'America/New_York')).body)).toEqual([['2024-11-04T05:00:00.000Z', '00:00', 60]]);
  });

  it('thumbnails appear once the job ran, as short-lived URLs that load', async () => {
    const slot = await eventually(async () => {
      const s = (await get('2024-03-10', 'UTC')).body.slots[1];
      return s?.screenshots[0]?.thumbUrl ? s : null;
    });
    const res = await fetch(slot.screenshots[0]?.thumbUrl as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/image\/webp|octet-stream/);
  });

  it('a discarded idle span removes its minutes from tracked time', async () => {
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
      deviceId,
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'idle.decision', span: { id: uuidv7(), entryId, startedAt: '2024-03-10T04:10:00Z', endedAt: '2024-03-10T04:15:00Z', decision: 'discard', projectId: null, taskId: null } }],
    });
    expect(r.body.results[0]?.outcome).toBe('applied');
    const t = (await get('2024-03-10', 'UTC')).body;
    expect(t.slots[2]?.trackedSeconds).toBe(300);
  });
});

describe('summary reports', () => {
  it('group by day follows the zone; by project and user sum the same seconds; CSV exports and is audited', async () => {
    const c = fx.as('admin');
    const byDay = async (tz: string) =>
      (await c.get<{ rows: Array<{ key: string; trackedSeconds: number }> }>(`/v1/reports/summary?from=2024-03-10&to=2024-03-11&groupBy=day&tz=${tz}`)).body.rows;
    expect(await byDay('UTC')).toEqual([expect.objectContaining({ key: '2024-03-10', trackedSeconds: 1560 })]);
    expect((await byDay('Asia/Kathmandu')).map((r) => [r.key, r.trackedSeconds])).toEqual([['2024-03-10', 1500], ['2024-03-11', 60]]);
    const byProject = await c.get<{ rows: Array<{ key: string; label: string; trackedSeconds: number; activityPercent: number }> }>(
      '/v1/reports/summary?from=2024-03-10&to=2024-03-10&groupBy=project',
    );
    expect(byProject.body.rows).toEqual([{ key: fx.srv.seed.project.id, label: 'Website', trackedSeconds: 1560, activeSeconds: 780, activityPercent: 50 }]);
    const csv = await c.get<string>('/v1/reports/summary?from=2024-03-10&to=2024-03-10&groupBy=user&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual(['key,label,trackedSeconds,activeSeconds,activityPercent', `${fx.srv.seed.employee.id},Emma Employee,1560,780,50`, '']);
    const log = await c.get<{ entries: Array<{ action: string }> }>('/v1/audit?action=report.export');
    expect(log.body.entries).toHaveLength(1);
  });
});
