import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, declareShot, login, uploadScreenshot } from './test-support/api';
import { useTestServer } from './test-support/fixture';
import type { TestSeed } from './test-support/start-test-server';

const fx = useTestServer();
let other: TestSeed;
let otherAdmin: ReturnType<typeof api>;
let shotOfEmployee2: string;
let deviceOfEmployee2: string;
let entryOfEmployee2: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  other = await fx.srv.seedOrg();
  otherAdmin = api(fx.srv.url, (await login(fx.srv.url, other.admin.email, other.admin.password)).accessToken);
  deviceOfEmployee2 = uuidv7();
  shotOfEmployee2 = await uploadScreenshot(fx.srv.url, fx.tokens.employee2, deviceOfEmployee2);
  entryOfEmployee2 = uuidv7();
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
  const push = await fx.as('employee2').post('/v1/sync/push', {
    deviceId: deviceOfEmployee2,
    sentAt: new Date().toISOString(),
    ops: [
      { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryOfEmployee2, projectId: fx.srv.seed.project.id, taskId: null, startedAt: start, endedAt: null, stopReason: null } },
      { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: entryOfEmployee2, minuteStart: start, activeSeconds: 30, trackedSeconds: 60, apps: [{ app: 'secret-app', seconds: 30 }] } },
    ],
  });
  expect(push.status).toBe(200);
});

/** Every denial is a problem document and carries none of the victim's data. */
function expectDenied(r: { status: number; headers: Headers; body: unknown }, statuses: number[], label: string) {
  expect(statuses, `${label}: got ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
  expect(r.headers.get('content-type'), label).toContain('application/problem+json');
  const text = JSON.stringify(r.body);
  expect(text, label).not.toContain('secret-app');
  expect(text, label).not.toContain(entryOfEmployee2);
  expect(text, label).not.toContain('object_key');
}

describe('reads across roles and orgs', () => {
  it('the timeline of employee2: self, their manager and admins see it; a peer, an outside employee and another org do not', async () => {
    const path = `/v1/timeline?userId=${fx.srv.seed.employee2.id}&date=${today}&tz=UTC`;
    for (const who of ['employee2', 'manager', 'admin'] as const) expect((await fx.as(who).get(path)).status, who).toBe(200);
    for (const who of ['employee', 'outsider'] as const) expectDenied(await fx.as(who).get(path), [403, 404], who);
    expectDenied(await otherAdmin.get(path), [403, 404], 'other org admin');
  });

  it('a manager outside the team sees nothing of its members', async () => {
    const path = `/v1/timeline?userId=${fx.srv.seed.outsider.id}&date=${today}&tz=UTC`;
    expectDenied(await fx.as('manager').get(path), [403, 404], 'manager → outsider');
    expectDenied(await fx.as('manager').get(`/v1/reports/summary?from=${today}&to=${today}&groupBy=user&userId=${fx.srv.seed.outsider.id}`), [403, 404], 'report');
  });

  it('reports and team/now are limited to whom the viewer may see', async () => {
    const report = (who: 'employee' | 'manager' | 'admin') =>
      fx.as(who).get<{ rows: Array<{ key: string }> }>(`/v1/reports/summary?from=${today}&to=${today}&groupBy=user`);
    expect((await report('employee')).body.rows.map((r) => r.key)).not.toContain(fx.srv.seed.employee2.id);
    expect((await report('manager')).body.rows.map((r) => r.key)).toContain(fx.srv.seed.employee2.id);
    expect((await otherAdmin.get<{ rows: unknown[] }>(`/v1/reports/summary?from=${today}&to=${today}&groupBy=user`)).body.rows).toEqual([]);
    const now = async (c: ReturnType<typeof api>) => (await c.get<{ members: Array<{ userId: string; tracking: boolean }> }>('/v1/team/now')).body.members;
    expect((await now(fx.as('employee'))).map((m) => m.userId)).toEqual([fx.srv.seed.employee.id]);
    const managed = await now(fx.as('manager'));
    expect(managed.map((m) => m.userId).sort()).toEqual([fx.srv.seed.manager.id, fx.srv.seed.employee.id, fx.srv.seed.employee2.id].sort());
    expect(managed.find((m) => m.userId === fx.srv.seed.employee2.id)?.tracking).toBe(true);
    expect((await now(otherAdmin)).map((m) => m.userId)).not.toContain(fx.srv.seed.employee2.id);
  });

  it('a screenshot: the owner, their manager and admins see it; others get 404', async () => {
    for (const who of ['employee2', 'manager', 'admin'] as const) expect((await fx.as(who).get(`/v1/screenshots/${shotOfEmployee2}`)).status, who).toBe(200);
    for (const who of ['employee', 'outsider'] as const) expectDenied(await fx.as(who).get(`/v1/screenshots/${shotOfEmployee2}`), [404], who);
    expectDenied(await otherAdmin.get(`/v1/screenshots/${shotOfEmployee2}`), [404], 'other org');
  });

  it('exports: self and admins only', async () => {
    const path = `/v1/users/${fx.srv.seed.employee2.id}/export`;
    expect((await fx.as('employee2').get(path)).status).toBe(200);
    expect((await fx.as('admin').get(path)).status).toBe(200);
    for (const who of ['employee', 'manager'] as const) expectDenied(await fx.as(who).get(path), [403, 404], who);
    expectDenied(await otherAdmin.get(path), [403, 404], 'other org');
  });

  it('the audit log is for admins of the org', async () => {
    for (const who of ['employee', 'manager'] as const) expectDenied(await fx.as(who).get('/v1/audit'), [403], who);
    const theirs = await otherAdmin.get<{ entries: Array<{ targetId: string }> }>('/v1/audit');
    expect(theirs.body.entries.map((e) => e.targetId)).not.toContain(shotOfEmployee2);
  });
});

describe('writes across roles and orgs', () => {
  it('completing, deleting or erasing someone else\'s data is refused', async () => {
    expectDenied(await fx.as('employee').post(`/v1/screenshots/${shotOfEmployee2}/complete`), [404], 'complete');
    expectDenied(await otherAdmin.post(`/v1/screenshots/${shotOfEmployee2}/complete`), [404], 'complete other org');
    expectDenied(await fx.as('employee').del(`/v1/screenshots/${shotOfEmployee2}`), [403, 404], 'delete peer');
    expectDenied(await fx.as('manager').del(`/v1/screenshots/${shotOfEmployee2}`), [403, 404], 'delete by manager');
    expectDenied(await otherAdmin.del(`/v1/screenshots/${shotOfEmployee2}`), [404], 'delete other org');
    expectDenied(await fx.as('manager').del(`/v1/users/${fx.srv.seed.employee2.id}/data`), [403], 'erase by manager');
    expectDenied(await otherAdmin.del(`/v1/users/${fx.srv.seed.employee2.id}/data`), [404], 'erase other org');
    expectDenied(await otherAdmin.post('/v1/devices/enrollment-tokens', { userId: fx.srv.seed.employee2.id }), [404], 'enroll other org user');
    expectDenied(await fx.as('employee').del(`/v1/devices/${deviceOfEmployee2}`), [404], 'revoke peer device');
    expect((await fx.as('admin').get(`/v1/screenshots/${shotOfEmployee2}`)).status).toBe(200);
  });

  it('policy and retention changes are for admins only', async () => {
    for (const who of ['employee', 'manager'] as const) {
      expectDenied(await fx.as(who).put('/v1/org/policy', { screenshotsPerSlot: 3 }), [403], who);
      expectDenied(await fx.as(who).put('/v1/org/retention', { retentionDays: 1 }), [403], who);
    }
  });

  it('pushing onto another user\'s ids or from their device is rejected', async () => {
    const mine = uuidv7();
    const stolen = await fx.as('employee').post('/v1/sync/push', {
      deviceId: deviceOfEmployee2,
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'screenshot.delete', screenshotId: shotOfEmployee2, deletedAt: new Date().toISOString() }],
    });
    expectDenied(stolen, [403], 'device of another user');
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string; status: number }> }>('/v1/sync/push', {
      deviceId: mine,
      sentAt: new Date().toISOString(),
      ops: [
        { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryOfEmployee2, projectId: fx.srv.seed.project.id, taskId: null, startedAt: new Date().toISOString(), endedAt: null, stopReason: null } },
        { id: uuidv7(), kind: 'screenshot.delete', screenshotId: shotOfEmployee2, deletedAt: new Date().toISOString() },
        { id: uuidv7(), kind: 'entry.upsert', entry: { id: uuidv7(), projectId: other.project.id, taskId: null, startedAt: new Date().toISOString(), endedAt: null, stopReason: null } },
      ],
    });
    expect(r.body.results.map((x) => [x.outcome, x.status])).toEqual([['rejected', 409], ['rejected', 403], ['rejected', 404]]);
    expect((await fx.as('admin').get(`/v1/screenshots/${shotOfEmployee2}`)).status).toBe(200);
  });

  it('ids of another org\'s rows pushed or declared by this org are refused with 409, never a 500, and change nothing there', async () => {
    const outside = api(fx.srv.url, (await login(fx.srv.url, other.employee.email, other.employee.password)).accessToken);
    const device = uuidv7();
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const minuteOfEmployee2 = (await fx.srv.db.system((tx) => tx.query<{ id: string }>('SELECT id FROM activity_minutes WHERE entry_id = $1', [entryOfEmployee2]))).rows[0]?.id as string;
    const r = await outside.post<{ results: Array<{ outcome: string; status: number }> }>('/v1/sync/push', {
      deviceId: device,
      sentAt: new Date().toISOString(),
      ops: [
        { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryOfEmployee2, projectId: other.project.id, taskId: null, startedAt: start, endedAt: null, stopReason: null } },
        { id: uuidv7(), kind: 'activity.minute', minute: { id: minuteOfEmployee2, entryId: null, minuteStart: start, activeSeconds: 1, trackedSeconds: 60, apps: [] } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.outcome, x.status])).toEqual([['rejected', 409], ['rejected', 409]]);
    const shot = await outside.post('/v1/screenshots', declareShot(Buffer.from('x'), device, { id: shotOfEmployee2 }));
    expectDenied(shot, [409], 'screenshot id of another org');
    const theirs = await fx.srv.db.system(async (tx) => ({
      entry: (await tx.query('SELECT org_id FROM time_entries WHERE id = $1', [entryOfEmployee2])).rows[0],
      minute: (await tx.query('SELECT active_seconds FROM activity_minutes WHERE id = $1', [minuteOfEmployee2])).rows[0],
    }));
    expect(theirs).toEqual({ entry: { org_id: fx.srv.seed.orgId }, minute: { active_seconds: 30 } });
  });

  it('an activity minute pointing at a colleague\'s entry does not borrow its project', async () => {
    const minuteStart = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
      deviceId: uuidv7(),
      sentAt: new Date().toISOString(),
      ops: [{ id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: entryOfEmployee2, minuteStart, activeSeconds: 6, trackedSeconds: 60, apps: [] } }],
    });
    expect(r.body.results[0]?.outcome).toBe('applied');
    const t = await fx.as('employee').get<{ slots: Array<{ start: string; end: string; project: unknown }> }>(`/v1/timeline?userId=${fx.srv.seed.employee.id}&date=${minuteStart.slice(0, 10)}&tz=UTC`);
    const slot = t.body.slots.find((x) => x.start <= minuteStart && minuteStart < x.end);
    expect(slot?.project).toBeNull();
  });

  it('a full-image link with a forged signature or viewer is 403', async () => {
    const view = await fx.as('manager').get<{ fullUrl: string }>(`/v1/screenshots/${shotOfEmployee2}`);
    const url = new URL(view.body.fullUrl);
    url.searchParams.set('viewer', fx.srv.seed.outsider.id);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(403);
    const ok = await fetch(view.body.fullUrl, { redirect: 'manual' });
    expect(ok.status).toBe(302);
  });
});

describe('row-level security is the second wall', () => {
  it('a query run with another org set returns nothing, even without an org filter', async () => {
    const seen = await fx.srv.db.inOrg(other.orgId, async (tx) => ({
      shots: (await tx.query('SELECT id FROM screenshots WHERE id = $1', [shotOfEmployee2])).rowCount,
      users: (await tx.query('SELECT id FROM users WHERE id = $1', [fx.srv.seed.employee2.id])).rowCount,
      minutes: (await tx.query('SELECT id FROM activity_minutes')).rows.length,
    }));
    expect(seen).toEqual({ shots: 0, users: 0, minutes: 0 });
    const own = await fx.srv.db.inOrg(fx.srv.seed.orgId, async (tx) => (await tx.query('SELECT id FROM screenshots WHERE id = $1', [shotOfEmployee2])).rowCount);
    expect(own).toBe(1);
    await expect(
      fx.srv.db.inOrg(other.orgId, (tx) => tx.query(`UPDATE screenshots SET org_id = $1 WHERE id = $2`, [other.orgId, shotOfEmployee2])),
    ).resolves.toMatchObject({ rowCount: 0 });
    await expect(
      fx.srv.db.inOrg(other.orgId, (tx) => tx.query(`INSERT INTO projects (id, org_id, name) VALUES (gen_random_uuid(), $1, 'x')`, [fx.srv.seed.orgId])),
    ).rejects.toThrow(/row-level security/);
  });
});
