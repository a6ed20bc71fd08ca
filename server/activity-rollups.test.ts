import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { SyncOp } from '../src/shared/http/push';
import type { TimelineResponse } from '../src/shared/http/timeline';
import type { Principal } from './auth/tokens';
import { timeline } from './services/timeline.service';
import { daySlots, daySlotsFromRollups } from './store/timeline.repository';
import { api, enrollDevice, eventually, uploadScreenshot } from './test-support/api';
import { useTestServer } from './test-support/fixture';

// Rollups (server/migrations/006_activity_rollups.sql) must always equal what the raw minutes
// give: after every kind of write, the stored buckets are compared with buckets recomputed from
// scratch, and the timeline read from them with the timeline read from the raw minutes.
const fx = useTestServer();

type Bucket = { bucket_start: string; tracked_seconds: number; active_seconds: number; apps: Record<string, number>; entries: Record<string, number> };

const BUCKETS_SQL = `SELECT bucket_start::text, tracked_seconds, active_seconds, apps, entries FROM activity_rollups
                      WHERE org_id = $1 AND user_id = $2 ORDER BY bucket_start`;

/** The user's stored buckets, and the buckets recomputed from the raw minutes now (in a transaction rolled back). */
async function storedAndRecomputed(userId: string): Promise<{ stored: Bucket[]; recomputed: Bucket[] }> {
  const orgId = fx.srv.seed.orgId;
  const stored = (await fx.srv.db.pool.query<Bucket>(BUCKETS_SQL, [orgId, userId])).rows;
  const c = await fx.srv.db.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('DELETE FROM activity_rollups WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
    await c.query(
      `SELECT stint_compute_activity_rollups($1, $2, ARRAY[min(date_bin('5 minutes', minute_start, timestamptz '2000-01-01 00:00:00+00'))],
                                            ARRAY[max(date_bin('5 minutes', minute_start, timestamptz '2000-01-01 00:00:00+00')) + interval '5 minutes'])
         FROM activity_minutes WHERE org_id = $1 AND user_id = $2 HAVING count(*) > 0`,
      [orgId, userId],
    );
    const recomputed = (await c.query<Bucket>(BUCKETS_SQL, [orgId, userId])).rows;
    return { stored, recomputed };
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}

const manager = (): Principal => ({ userId: fx.srv.seed.manager.id, orgId: fx.srv.seed.orgId, role: 'manager', deviceId: null });
const fixedNow = new Date('2024-06-01T12:00:00Z');

/** The timeline of a user-day read from the rollups and from the raw minutes (same clock, so the same signed URLs). */
async function bothWays(userId: string, date: string, tz: string): Promise<{ rollups: TimelineResponse; raw: TimelineResponse }> {
  const ctx = { ...fx.srv.ctx, now: () => fixedNow };
  const q = { userId, date, tz };
  return {
    rollups: await timeline({ ...ctx, settings: { ...ctx.settings, timelineActivity: 'rollups' } }, manager(), q),
    raw: await timeline({ ...ctx, settings: { ...ctx.settings, timelineActivity: 'raw' } }, manager(), q),
  };
}

/** Both checks, on the days and zones given; returns the rollup timeline of the first. */
async function expectConsistent(userId: string, days: Array<[string, string]>): Promise<TimelineResponse> {
  const { stored, recomputed } = await storedAndRecomputed(userId);
  expect(stored).toEqual(recomputed);
  const out: TimelineResponse[] = [];
  for (const [date, tz] of days) {
    // The rollup path really answered (null would mean it fell back to the raw minutes).
    const fromRollups = await fx.srv.db.inOrg(fx.srv.seed.orgId, (tx) => daySlotsFromRollups(tx, fx.srv.seed.orgId, userId, date, tz));
    const fromRaw = await fx.srv.db.inOrg(fx.srv.seed.orgId, (tx) => daySlots(tx, fx.srv.seed.orgId, userId, date, tz));
    expect(fromRollups).toEqual(fromRaw);
    const t = await bothWays(userId, date, tz);
    expect(t.rollups).toEqual(t.raw);
    out.push(t.rollups);
  }
  return out[0] as TimelineResponse;
}

let n = 0;
function minute(entryId: string | null, startIso: string, apps: Array<{ app: string; seconds: number }>, over: { id?: string; active?: number; tracked?: number } = {}): SyncOp {
  n += 1;
  return {
    id: uuidv7(),
    kind: 'activity.minute',
    minute: { id: over.id ?? uuidv7(), entryId, minuteStart: startIso, activeSeconds: over.active ?? 20 + (n % 30), trackedSeconds: over.tracked ?? 60, apps },
  };
}
const minutesFrom = (entryId: string | null, fromIso: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    minute(entryId, new Date(Date.parse(fromIso) + i * 60_000).toISOString(), [
      { app: ['editor', 'browser', 'chat', 'terminal'][i % 4] as string, seconds: 30 },
      { app: 'browser', seconds: 10 + (i % 7) },
    ]),
  );
const entry = (id: string, projectId: string, startedAt: string, endedAt: string | null): SyncOp => ({
  id: uuidv7(),
  kind: 'entry.upsert',
  entry: { id, projectId, taskId: null, startedAt, endedAt, stopReason: endedAt ? 'user' : null },
});
const idle = (id: string, startedAt: string, endedAt: string, decision: 'keep' | 'discard'): SyncOp => ({
  id: uuidv7(),
  kind: 'idle.decision',
  span: { id, entryId: null, startedAt, endedAt, decision, projectId: null, taskId: null },
});

async function push(token: string, deviceId: string, ops: SyncOp[]) {
  const r = await api(fx.srv.url, token).post<{ results: Array<{ outcome: string; reason?: string }> }>('/v1/sync/push', { deviceId, sentAt: new Date().toISOString(), ops });
  expect(r.status).toBe(200);
  expect(r.body.results.filter((x) => x.outcome !== 'applied')).toEqual([]);
  return r.body.results;
}

async function otherProject(): Promise<string> {
  const id = uuidv7();
  await fx.srv.db.system((tx) => tx.query(`INSERT INTO projects (id, org_id, name) VALUES ($1, $2, 'Backend')`, [id, fx.srv.seed.orgId]));
  return id;
}

describe('activity rollups stay equal to the raw minutes', () => {
  it('after pushes, a replayed batch, replays that move and change minutes, and an entry that changes project', async () => {
    const device = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const user = fx.srv.seed.employee.id;
    const e1 = uuidv7();
    const batch = [entry(e1, fx.srv.seed.project.id, '2024-05-06T08:00:00Z', '2024-05-06T09:00:00Z'), ...minutesFrom(e1, '2024-05-06T08:00:00Z', 45)];
    await push(device.accessToken, device.deviceId, batch);
    await expectConsistent(user, [['2024-05-06', 'UTC'], ['2024-05-06', 'Asia/Kathmandu']]);
    const before = (await storedAndRecomputed(user)).stored;
    expect(before.length).toBe(9); // 45 minutes from 08:00 = 9 buckets of 5

    // The same batch again (a lost response): every op answers from its receipt, nothing changes.
    await push(device.accessToken, device.deviceId, batch);
    expect((await storedAndRecomputed(user)).stored).toEqual(before);

    // The same minute ids under new op ids: one moves to another bucket (from 08:02 to 08:52), one changes its apps.
    const moved = batch[3] as Extract<SyncOp, { kind: 'activity.minute' }>;
    const changed = batch[10] as Extract<SyncOp, { kind: 'activity.minute' }>;
    await push(device.accessToken, device.deviceId, [
      minute(e1, '2024-05-06T08:52:00Z', [{ app: 'spreadsheet', seconds: 55 }], { id: moved.minute.id, active: 59 }),
      minute(e1, changed.minute.minuteStart, [{ app: 'design', seconds: 60 }], { id: changed.minute.id, active: 3 }),
    ]);
    const t = await expectConsistent(user, [['2024-05-06', 'UTC'], ['2024-05-06', 'Asia/Kathmandu'], ['2024-05-06', 'America/New_York']]);
    const at0800 = t.slots.find((s) => s.start === '2024-05-06T08:00:00.000Z');
    expect(at0800?.trackedSeconds).toBe(540); // ten minutes less the one that moved out
    expect(t.slots.find((s) => s.start === '2024-05-06T08:50:00.000Z')?.topApps.map((a) => a.app)).toContain('spreadsheet');

    // The entry moves to another project: no minute changes, the slots follow (entries are joined at read time).
    const backend = await otherProject();
    await push(device.accessToken, device.deviceId, [entry(e1, backend, '2024-05-06T08:00:00Z', '2024-05-06T09:00:00Z')]);
    const after = await expectConsistent(user, [['2024-05-06', 'UTC']]);
    expect(after.slots.every((s) => s.project?.id === backend)).toBe(true);
  });

  it('after two devices of one user push into the same buckets at once (the refresh is serialised per user)', async () => {
    const user = fx.srv.seed.employee2.id;
    const [a, b] = await Promise.all([enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken(user)), enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken(user))]);
    const ea = uuidv7();
    const eb = uuidv7();
    const project = fx.srv.seed.project.id;
    for (let round = 0; round < 5; round++) {
      const from = new Date(Date.parse('2024-05-07T10:00:00Z') + round * 600_000).toISOString();
      await Promise.all([
        push(a.accessToken, a.deviceId, [...(round === 0 ? [entry(ea, project, '2024-05-07T10:00:00Z', null)] : []), ...minutesFrom(ea, from, 10)]),
        push(b.accessToken, b.deviceId, [...(round === 0 ? [entry(eb, project, '2024-05-07T10:00:00Z', null)] : []), ...minutesFrom(eb, from, 10)]),
      ]);
    }
    const t = await expectConsistent(user, [['2024-05-07', 'UTC'], ['2024-05-07', 'Asia/Kathmandu']]);
    expect(t.totals.trackedSeconds).toBe(2 * 50 * 60); // both devices' minutes, every one counted

    // Deterministically: another writer has refreshed bucket 11:00 and not committed yet; a push
    // into the same bucket waits for it, then counts the other writer's minute too.
    const writer = await fx.srv.db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO activity_minutes (id, org_id, user_id, device_id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
         VALUES ($1, $2, $3, $4, $5, '2024-05-07T11:01:00Z', 10, 60, '[{"app":"other-writer","seconds":60}]')`,
        [uuidv7(), fx.srv.seed.orgId, user, a.deviceId, ea],
      );
      await writer.query(`SELECT stint_refresh_activity_rollups($1, $2, ARRAY[timestamptz '2024-05-07T11:00:00Z'], ARRAY[timestamptz '2024-05-07T11:05:00Z'])`, [fx.srv.seed.orgId, user]);
      const pushed = push(b.accessToken, b.deviceId, [minute(eb, '2024-05-07T11:02:00Z', [{ app: 'editor', seconds: 60 }])]);
      await eventually(async () => (await fx.srv.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0]?.n || null);
      await writer.query('COMMIT');
      await pushed;
    } finally {
      writer.release();
    }
    const both = await expectConsistent(user, [['2024-05-07', 'UTC']]);
    expect(both.slots.find((s) => s.start === '2024-05-07T11:00:00.000Z')?.trackedSeconds).toBe(120);
  });

  it('after idle spans are discarded, kept again, and moved', async () => {
    const device = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const user = fx.srv.seed.employee.id;
    const e = uuidv7();
    await push(device.accessToken, device.deviceId, [entry(e, fx.srv.seed.project.id, '2024-05-08T13:00:00Z', '2024-05-08T14:00:00Z'), ...minutesFrom(e, '2024-05-08T13:00:00Z', 60)]);
    const span = uuidv7();
    await push(device.accessToken, device.deviceId, [idle(span, '2024-05-08T13:07:00Z', '2024-05-08T13:31:00Z', 'discard')]);
    let t = await expectConsistent(user, [['2024-05-08', 'UTC']]);
    expect(t.totals.trackedSeconds).toBe(36 * 60);
    await push(device.accessToken, device.deviceId, [idle(span, '2024-05-08T13:40:00Z', '2024-05-08T13:42:00Z', 'discard')]);
    t = await expectConsistent(user, [['2024-05-08', 'UTC'], ['2024-05-08', 'Asia/Kathmandu']]);
    expect(t.totals.trackedSeconds).toBe(58 * 60);
    await push(device.accessToken, device.deviceId, [idle(span, '2024-05-08T13:40:00Z', '2024-05-08T13:42:00Z', 'keep')]);
    t = await expectConsistent(user, [['2024-05-08', 'UTC']]);
    expect(t.totals.trackedSeconds).toBe(60 * 60);
  });

  it('after a screenshot is deleted: the slots keep their minutes and lose the screenshot, read either way', async () => {
    const device = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const user = fx.srv.seed.employee.id;
    const e = uuidv7();
    const takenAt = new Date(Date.now() - 60_000);
    const start = new Date(Math.floor(takenAt.getTime() / 600_000) * 600_000 - 600_000);
    await push(device.accessToken, device.deviceId, [entry(e, fx.srv.seed.project.id, start.toISOString(), null), ...minutesFrom(e, start.toISOString(), 12)]);
    const shot = await uploadScreenshot(fx.srv.url, device.accessToken, device.deviceId, takenAt);
    // The worker adds the thumbnail on its own: wait for it, or one read has it and the other not.
    await eventually(async () => (await fx.srv.db.pool.query(`SELECT thumb_key FROM screenshots WHERE id = $1 AND state = 'verified'`, [shot])).rows[0] ?? null);
    const day = takenAt.toISOString().slice(0, 10);
    const withShot = await expectConsistent(user, [[day, 'UTC']]);
    expect(withShot.slots.flatMap((s) => s.screenshots.map((x) => x.id))).toContain(shot);
    const del = await api(fx.srv.url, device.accessToken).del(`/v1/screenshots/${shot}`);
    expect(del.status).toBe(204);
    const without = await expectConsistent(user, [[day, 'UTC'], [day, 'Asia/Kathmandu']]);
    expect(without.slots.flatMap((s) => s.screenshots.map((x) => x.id))).not.toContain(shot);
    expect(without.totals).toEqual(withShot.totals);
  });

  it('after a user\'s data is erased: none of their buckets is left, another user\'s stay', async () => {
    const user = fx.srv.seed.employee2.id;
    const others = (await storedAndRecomputed(fx.srv.seed.employee.id)).stored;
    expect((await storedAndRecomputed(user)).stored.length).toBeGreaterThan(0);
    const r = await fx.as('admin').del(`/v1/users/${user}/data`);
    expect(r.status).toBe(200);
    const t = await expectConsistent(user, [['2024-05-07', 'UTC']]);
    expect(t.slots).toEqual([]);
    expect((await storedAndRecomputed(user)).stored).toEqual([]);
    expect((await storedAndRecomputed(fx.srv.seed.employee.id)).stored).toEqual(others);
  });

  it('zones: +05:45, +05:30 and a DST fall-back day read from the rollups; a zone off the 5-minute grid reads the minutes', async () => {
    const device = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
    const user = fx.srv.seed.employee.id;
    const e = uuidv7();
    // Around New York's 2024-11-03 fall-back (01:00-02:00 local happens twice) and Kathmandu's midnight (18:15 UTC).
    await push(device.accessToken, device.deviceId, [
      entry(e, fx.srv.seed.project.id, '2024-11-03T04:40:00Z', '2024-11-03T18:30:00Z'),
      ...minutesFrom(e, '2024-11-03T04:40:00Z', 150),
      ...minutesFrom(e, '2024-11-03T18:05:00Z', 20),
    ]);
    const ny = await expectConsistent(user, [['2024-11-03', 'America/New_York'], ['2024-11-03', 'Asia/Kathmandu'], ['2024-11-04', 'Asia/Kathmandu'], ['2024-11-03', 'Asia/Kolkata'], ['2024-11-03', 'Australia/Lord_Howe']]);
    expect(ny.slots.filter((s) => s.label === '01:50').map((s) => s.start)).toEqual(['2024-11-03T05:50:00.000Z', '2024-11-03T06:50:00.000Z']);
    // Monrovia kept -00:44:30 until 1972: its days do not start on a bucket boundary, so the raw minutes answer.
    const off = await fx.srv.db.inOrg(fx.srv.seed.orgId, (tx) => daySlotsFromRollups(tx, fx.srv.seed.orgId, user, '1971-06-01', 'Africa/Monrovia'));
    expect(off).toBeNull();
    const t = await bothWays(user, '1971-06-01', 'Africa/Monrovia');
    expect(t.rollups).toEqual(t.raw);
  });
});
