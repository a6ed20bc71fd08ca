import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { CompleteBatchResponse, DeclareBatchItem, DeclareBatchResponse } from '../src/shared/http/screenshot-batch';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { Db } from './store/db';
import type { OrgSeed } from './demo/seed';
import { api, declareShot, eventually, login, makeImage, putBlob } from './test-support/api';
import { startApiProcesses, type ApiProcesses } from './test-support/api-processes';

const s3 = inject('s3');
const pgUrl = inject('postgresUrl');

describe.skipIf(!s3 || !pgUrl)('two API processes and one worker on one database behave as one server', () => {
  let procs: ApiProcesses;
  let seed: OrgSeed;
  let a: string;
  let b: string;

  beforeAll(async () => {
    if (!s3 || !pgUrl) return;
    procs = await startApiProcesses({ pgUrl, s3, apis: 2, worker: true });
    seed = procs.seed;
    [a, b] = procs.urls as [string, string];
  });

  afterAll(async () => {
    await procs?.stop();
  });

  it('a screenshot presigned on one API is completed on the other, processed by the worker, and shown by both', async () => {
    expect(a).not.toBe(b);
    const session = await login(a, seed.employee.email, seed.employee.password);
    const deviceId = uuidv7();
    const image = await makeImage(400, 300, 21);
    const decl = declareShot(image, deviceId, { width: 400, height: 300 });
    const created = await api(a, session.accessToken).post<{ status: 'upload'; upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string } }>('/v1/screenshots', decl);
    expect(created.status).toBe(201);
    expect((await putBlob(created.body.upload, image)).status).toBe(200);
    expect((await api(b, session.accessToken).post(`/v1/screenshots/${decl.id}/complete`)).body).toEqual({ status: 'stored', id: decl.id });
    // a refresh token issued by A rotates on B
    expect((await api(b).post('/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    const date = decl.takenAt.slice(0, 10);
    const manager = (await login(b, seed.manager.email, seed.manager.password)).accessToken;
    for (const base of [a, b]) {
      const shot = await eventually(async () => {
        const t = await api(base, manager).get<TimelineResponse>(`/v1/timeline?userId=${seed.employee.id}&date=${date}&tz=UTC`);
        const s = t.body.slots.flatMap((x) => x.screenshots).find((x) => x.id === decl.id);
        return s?.thumbUrl ? s : null;
      }, 80, 250);
      expect((await fetch(shot.thumbUrl as string)).status).toBe(200);
    }
  });
});

describe.skipIf(!s3 || !pgUrl)('one batch replayed at once through two API processes', () => {
  let procs: ApiProcesses;

  beforeAll(async () => {
    if (!s3 || !pgUrl) return;
    procs = await startApiProcesses({ pgUrl, s3, apis: 2, worker: true });
  });
  afterAll(async () => {
    await procs?.stop();
  });

  it('stores each screenshot once, queues its verification once, and answers every replay alike', async () => {
    const [a, b] = procs.urls as [string, string];
    const token = (await login(a, procs.seed.employee.email, procs.seed.employee.password)).accessToken;
    const deviceId = uuidv7();
    const shots = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const image = await makeImage(64, 40, 100 + i);
        return { image, decl: declareShot(image, deviceId, { width: 64, height: 40 }) };
      }),
    );
    const items = shots.map((s) => s.decl);
    const ids = items.map((d) => d.id);
    const declares = await Promise.all([a, b, a, b].map((base) => api(base, token).post<DeclareBatchResponse>('/v1/screenshots/batch', { items })));
    for (const r of declares) {
      expect(r.status).toBe(200);
      expect(r.body.items.map((x) => [x.status, x.id])).toEqual(ids.map((id) => ['upload', id]));
    }
    for (const [i, s] of shots.entries()) {
      const item = declares[i % 4]!.body.items[i] as Extract<DeclareBatchItem, { status: 'upload' }>;
      expect((await putBlob(item.upload, s.image)).status).toBe(200);
    }
    const completes = await Promise.all([b, a, b, a].map((base) => api(base, token).post<CompleteBatchResponse>('/v1/screenshots/batch/complete', { ids })));
    for (const r of completes) expect(r.body.items).toEqual(ids.map((id) => ({ status: 'stored', id })));

    const db = new Db(procs.databaseUrl, 1);
    try {
      const rows = await eventually(async () => {
        const r = await db.pool.query<{ id: string; state: string }>('SELECT id, state FROM screenshots WHERE id = ANY($1::uuid[])', [ids]);
        return r.rows.every((x) => x.state === 'verified') ? r.rows : null;
      }, 120, 250);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const jobs = await db.pool.query<{ data: { screenshotIds?: string[] } }>(`SELECT data FROM pgboss.job WHERE name = 'screenshot.process'`);
      const queued = jobs.rows.flatMap((j) => j.data.screenshotIds ?? []);
      expect(queued.sort()).toEqual([...ids].sort());
    } finally {
      await db.close();
    }
    // A replay after all that: every item "stored", nothing changes.
    const late = await api(b, token).post<DeclareBatchResponse>('/v1/screenshots/batch', { items });
    expect(late.body.items).toEqual(ids.map((id) => ({ status: 'stored', id })));
  });
});
