import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import sharp from 'sharp';
import { createTestDatabase } from './test-support/test-database';
import { api, declareShot, enrollDevice, eventually, makeImage, putBlob, uploadScreenshot } from './test-support/api';
import { startTestServer, type TestBlobOption, type TestServer } from './test-support/start-test-server';

const s3 = inject('s3');
const drivers: Array<[string, () => TestBlobOption | null]> = [
  ['fs', () => ({ kind: 'fs' })],
  ['s3', () => (s3 ? { kind: 's3', ...s3 } : null)],
];

describe.each(drivers)('ingest path with the %s blob driver', (name, blob) => {
  const opt = blob();
  let srv: TestServer;
  let drop: () => Promise<void>;
  let device: { deviceId: string; accessToken: string };
  let now = new Date();

  beforeAll(async () => {
    if (!opt) return;
    const base = inject('postgresUrl');
    if (!base) throw new Error('PostgreSQL is required');
    const database = await createTestDatabase(base);
    drop = database.drop;
    srv = await startTestServer({ databaseUrl: database.url, blob: opt, now: () => now });
    device = await enrollDevice(srv.url, await srv.seed.enrollmentToken());
  });
  afterAll(async () => {
    await srv?.stop();
    await drop?.();
  });

  it.skipIf(!opt)('presign → PUT → complete → job → timeline shows it with URLs that load', async () => {
    now = new Date();
    const image = await makeImage(640, 400, 3);
    const decl = declareShot(image, device.deviceId, { takenAt: now.toISOString() });
    const client = api(srv.url, device.accessToken);
    const created = await client.post<{ status: string; upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('upload');
    expect(new URL(created.body.upload.url).pathname).toContain(`/org/${srv.seed.orgId}/user/${srv.seed.employee.id}/`);
    const put = await putBlob(created.body.upload, image);
    expect(put.status).toBe(200);
    const done = await client.post(`/v1/screenshots/${decl.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ status: 'stored', id: decl.id });

    const manager = (await api(srv.url).post<{ accessToken: string }>('/v1/auth/login', { email: srv.seed.manager.email, password: srv.seed.manager.password })).body.accessToken;
    const date = now.toISOString().slice(0, 10);
    const shot = await eventually(async () => {
      const t = await api(srv.url, manager).get<{ slots: Array<{ screenshots: Array<{ id: string; thumbUrl: string | null; fullUrl: string }> }> }>(
        `/v1/timeline?userId=${srv.seed.employee.id}&date=${date}&tz=UTC`,
      );
      expect(t.status).toBe(200);
      const s = t.body.slots.flatMap((x) => x.screenshots).find((x) => x.id === decl.id);
      return s?.thumbUrl ? s : null;
    });
    const thumb = await fetch(shot.thumbUrl as string);
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width).toBe(320);
    const full = await fetch(shot.fullUrl);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(image)).toBe(true);
    const auditLog = await api(srv.url, (await api(srv.url).post<{ accessToken: string }>('/v1/auth/login', { email: srv.seed.admin.email, password: srv.seed.admin.password })).body.accessToken)
      .get<{ entries: Array<{ action: string; targetId: string; actorId: string }> }>('/v1/audit?action=screenshot.view_full');
    expect(auditLog.body.entries).toContainEqual(expect.objectContaining({ targetId: decl.id, actorId: srv.seed.manager.id }));
  });

  it.skipIf(!opt)('replays are idempotent: a declared-and-stored screenshot answers "stored", complete is a no-op, changed content is 409', async () => {
    now = new Date();
    const image = await makeImage(200, 100, 5);
    const decl = declareShot(image, device.deviceId, { width: 200, height: 100 });
    const client = api(srv.url, device.accessToken);
    const first = await client.post<{ status: string; upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    const again = await client.post<{ status: string }>('/v1/screenshots', decl);
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('upload');
    expect((await putBlob(first.body.upload, image)).status).toBe(200);
    expect((await client.post(`/v1/screenshots/${decl.id}/complete`)).status).toBe(200);
    expect((await client.post(`/v1/screenshots/${decl.id}/complete`)).body).toEqual({ status: 'stored', id: decl.id });
    expect((await client.post('/v1/screenshots', decl)).body).toEqual({ status: 'stored', id: decl.id });
    const changed = await client.post('/v1/screenshots', { ...decl, bytes: decl.bytes + 1 });
    expect(changed.status).toBe(409);
    expect(changed.headers.get('content-type')).toContain('application/problem+json');
  });

  it.skipIf(!opt)('the same declaration sent eight times at once gets "upload" every time, never a 409 (five rounds, one row each)', async () => {
    now = new Date();
    const client = api(srv.url, device.accessToken);
    for (let round = 0; round < 5; round++) {
      const image = await makeImage(100, 60, 21 + round);
      const decl = declareShot(image, device.deviceId, { width: 100, height: 60 });
      const replies = await Promise.all(Array.from({ length: 8 }, () => client.post<{ status: string }>('/v1/screenshots', decl)));
      expect(replies.map((r) => [r.status, r.body.status])).toEqual(Array.from({ length: 8 }, () => [201, 'upload']));
      const rows = await srv.db.system(async (tx) => (await tx.query('SELECT count(*)::int AS n FROM screenshots WHERE id = $1', [decl.id])).rows[0]);
      expect(rows).toEqual({ n: 1 });
    }
  });

  it.skipIf(!opt)('complete before the PUT is refused with 409 and the screenshot stays pending', async () => {
    const image = await makeImage(100, 100, 7);
    const decl = declareShot(image, device.deviceId);
    const client = api(srv.url, device.accessToken);
    await client.post('/v1/screenshots', decl);
    const r = await client.post<{ detail: string }>(`/v1/screenshots/${decl.id}/complete`);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/not been uploaded/);
  });

  it.skipIf(!opt)('a presigned PUT used after it expired is refused with 403', async () => {
    const image = await makeImage(100, 100, 9);
    const client = api(srv.url, device.accessToken);
    now = new Date(Date.now() - 60 * 60_000); // sign an hour ago: the 10-minute URL is long expired
    const decl = declareShot(image, device.deviceId, { takenAt: now.toISOString() });
    const created = await client.post<{ upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    now = new Date();
    expect(created.status).toBe(201);
    const put = await putBlob(created.body.upload, image);
    expect(put.status).toBe(403);
  });

  it.skipIf(!opt)('a presigned GET used after it expired is refused with 403', async () => {
    now = new Date();
    const id = await uploadScreenshot(srv.url, device.accessToken, device.deviceId);
    const row = await srv.db.system(async (tx) => (await tx.query<{ object_key: string }>('SELECT object_key FROM screenshots WHERE id = $1', [id])).rows[0]);
    const key = row?.object_key as string;
    expect((await fetch(await srv.blobs.presignGet(key, 60, new Date()))).status).toBe(200);
    const stale = await srv.blobs.presignGet(key, 60, new Date(Date.now() - 3_600_000));
    expect((await fetch(stale)).status).toBe(403);
  });

  it.skipIf(!opt)('a PUT with a different size or MD5 than declared is rejected by the store', async () => {
    now = new Date();
    const image = await makeImage(120, 80, 11);
    const client = api(srv.url, device.accessToken);
    const decl = declareShot(image, device.deviceId);
    const created = await client.post<{ upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    const bigger = Buffer.concat([image, Buffer.from('x')]);
    expect((await putBlob(created.body.upload, bigger)).status).toBe(403);
    const tampered = Buffer.from(image);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0xff;
    const badMd5 = await putBlob(created.body.upload, tampered);
    expect(badMd5.status).toBe(400);
    expect((await client.post(`/v1/screenshots/${decl.id}/complete`)).status).toBe(409);
  });

  it.skipIf(!opt)('push applies each op once; a replay returns the same results; the same id with other content is 409', async () => {
    now = new Date();
    const client = api(srv.url, device.accessToken);
    const entryId = uuidv7();
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000).toISOString();
    const ops = [
      { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryId, projectId: srv.seed.project.id, taskId: srv.seed.project.taskId, startedAt: minute, endedAt: null, stopReason: null } },
      { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId, minuteStart: minute, activeSeconds: 42, trackedSeconds: 60, apps: [{ app: 'code', seconds: 50 }] } },
      { id: uuidv7(), kind: 'entry.upsert', entry: { id: uuidv7(), projectId: '00000000-0000-4000-8000-000000000000', taskId: null, startedAt: minute, endedAt: null, stopReason: null } },
    ];
    const body = { deviceId: device.deviceId, sentAt: now.toISOString(), ops };
    const first = await client.post<{ results: Array<{ id: string; outcome: string; status?: number }> }>('/v1/sync/push', body);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'rejected']);
    expect(first.body.results[2]?.status).toBe(404);
    const replay = await client.post('/v1/sync/push', body);
    expect(replay.body).toEqual(first.body);
    const changed = { ...body, ops: [{ ...ops[1], minute: { ...(ops[1] as { minute: object }).minute, activeSeconds: 1 } }] };
    const conflict = await client.post<{ results: Array<{ outcome: string; status: number }> }>('/v1/sync/push', changed);
    expect(conflict.body.results[0]).toMatchObject({ outcome: 'rejected', status: 409 });
    const count = await srv.db.system(async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM activity_minutes WHERE entry_id = $1`, [entryId])).rows[0]);
    expect(count).toEqual({ n: 1 });
  });

  it.skipIf(!opt)('an entry once ended stays ended when its start arrives late (ops out of order)', async () => {
    now = new Date();
    const client = api(srv.url, device.accessToken);
    const entryId = uuidv7();
    const started = new Date(now.getTime() - 30 * 60_000).toISOString();
    const ended = new Date(now.getTime() - 10 * 60_000).toISOString();
    const entry = { id: entryId, projectId: srv.seed.project.id, taskId: srv.seed.project.taskId, startedAt: started };
    const push = (e: object) =>
      client.post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', {
        deviceId: device.deviceId,
        sentAt: now.toISOString(),
        ops: [{ id: uuidv7(), kind: 'entry.upsert', entry: e }],
      });
    expect((await push({ ...entry, endedAt: ended, stopReason: 'user' })).body.results[0]?.outcome).toBe('applied');
    expect((await push({ ...entry, endedAt: null, stopReason: null })).body.results[0]?.outcome).toBe('applied');
    const row = await srv.db.system(
      async (tx) => (await tx.query(`SELECT ended_at, stop_reason FROM time_entries WHERE id = $1`, [entryId])).rows[0],
    );
    expect(row).toEqual({ ended_at: new Date(ended), stop_reason: 'user' });
  });

  it.skipIf(!opt)('the same batch pushed five times at once is applied once and every reply agrees', async () => {
    now = new Date();
    const client = api(srv.url, device.accessToken);
    const minuteId = uuidv7();
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 5 * 60_000).toISOString();
    const body = {
      deviceId: device.deviceId,
      sentAt: now.toISOString(),
      ops: [{ id: uuidv7(), kind: 'activity.minute', minute: { id: minuteId, entryId: null, minuteStart: minute, activeSeconds: 10, trackedSeconds: 60, apps: [] } }],
    };
    const replies = await Promise.all(Array.from({ length: 5 }, () => client.post('/v1/sync/push', body)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of replies) expect(r.body).toEqual({ results: [{ id: body.ops[0]?.id, outcome: 'applied' }] });
    const rows = await srv.db.system(async (tx) => (await tx.query('SELECT count(*)::int AS n FROM activity_minutes WHERE id = $1', [minuteId])).rows[0]);
    expect(rows).toEqual({ n: 1 });
  });

  it.skipIf(!opt)('bytes that do not decode as an image are stored, then marked corrupt by the job and left out of the timeline', async () => {
    now = new Date();
    const junk = Buffer.from('this is not a webp image at all, just text pretending to be one');
    const decl = declareShot(junk, device.deviceId);
    const client = api(srv.url, device.accessToken);
    const created = await client.post<{ upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    expect((await putBlob(created.body.upload, junk)).status).toBe(200);
    expect((await client.post(`/v1/screenshots/${decl.id}/complete`)).status).toBe(200);
    const state = await eventually(async () => {
      const r = await srv.db.system(async (tx) => (await tx.query<{ state: string }>('SELECT state FROM screenshots WHERE id = $1', [decl.id])).rows[0]);
      return r?.state === 'corrupt' ? r.state : null;
    });
    expect(state).toBe('corrupt');
    const t = await client.get<{ slots: Array<{ screenshots: Array<{ id: string }> }> }>(`/v1/timeline?userId=${srv.seed.employee.id}&date=${decl.takenAt.slice(0, 10)}&tz=UTC`);
    expect(t.body.slots.flatMap((x) => x.screenshots).map((x) => x.id)).not.toContain(decl.id);
  });
});
