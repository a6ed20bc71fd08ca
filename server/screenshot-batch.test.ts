import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { CompleteBatchResponse, DeclareBatchItem, DeclareBatchResponse } from '../src/shared/http/screenshot-batch';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { processScreenshots } from './jobs/screenshot-process.job';
import { api, declareShot, enrollDevice, makeImage, putBlob } from './test-support/api';
import { useTestServer } from './test-support/fixture';

// jobs: false, so each test runs the verify job itself and sees a `received` row before it.
const fx = useTestServer({ blob: 's3', jobs: false });

type Upload = Extract<DeclareBatchItem, { status: 'upload' }>;

async function device() {
  const d = await enrollDevice(fx.srv.url, await fx.srv.seed.enrollmentToken());
  return { ...d, client: api(fx.srv.url, d.accessToken) };
}

async function shots(n: number, deviceId: string, seed = 1) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const image = await makeImage(64, 40, seed + i);
      return { image, decl: declareShot(image, deviceId, { width: 64, height: 40 }) };
    }),
  );
}

async function state(id: string): Promise<string | undefined> {
  return fx.srv.db.system(async (tx) => (await tx.query<{ state: string }>('SELECT state FROM screenshots WHERE id = $1', [id])).rows[0]?.state);
}

async function timelineIds(day: string): Promise<string[]> {
  const r = await fx.as('manager').get<TimelineResponse>(`/v1/timeline?userId=${fx.srv.seed.employee.id}&date=${day}&tz=UTC`);
  expect(r.status).toBe(200);
  return r.body.slots.flatMap((s) => s.screenshots.map((x) => x.id));
}

describe('batch declare', () => {
  it('answers each item of a mixed batch on its own: new, replayed, conflicting (409), deleted (410), invalid (400)', async () => {
    const { deviceId, client } = await device();
    const [fresh, stored, conflicting, deleted] = await shots(4, deviceId, 10);
    // `stored` goes all the way first, `conflicting` is declared once, `deleted` is declared then deleted by its owner.
    const first = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [stored!.decl, conflicting!.decl, deleted!.decl] });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.status)).toEqual(['upload', 'upload', 'upload']);
    expect((await putBlob((first.body.items[0] as Upload).upload, stored!.image)).status).toBe(200);
    expect((await client.post('/v1/screenshots/batch/complete', { ids: [stored!.decl.id] })).status).toBe(200);
    expect((await putBlob((first.body.items[2] as Upload).upload, deleted!.image)).status).toBe(200);
    expect((await client.post(`/v1/screenshots/${deleted!.decl.id}/complete`)).status).toBe(200);
    expect((await client.del(`/v1/screenshots/${deleted!.decl.id}`)).status).toBe(204);

    const mixed = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', {
      items: [fresh!.decl, stored!.decl, { ...conflicting!.decl, bytes: conflicting!.decl.bytes + 1 }, deleted!.decl, { ...fresh!.decl, id: 'not-an-id' }, fresh!.decl],
    });
    expect(mixed.status).toBe(200);
    const [a, b, c, d, e, f] = mixed.body.items;
    expect(a).toMatchObject({ status: 'upload', id: fresh!.decl.id });
    expect(b).toEqual({ status: 'stored', id: stored!.decl.id });
    expect(c).toMatchObject({ status: 'refused', id: conflicting!.decl.id, problem: { status: 409 } });
    expect(d).toMatchObject({ status: 'refused', id: deleted!.decl.id, problem: { status: 410 } });
    expect(e).toMatchObject({ status: 'refused', id: null, problem: { status: 400 } });
    expect(e?.status === 'refused' && e.problem.detail).toContain('items.4.id');
    expect(f).toMatchObject({ status: 'refused', id: fresh!.decl.id, problem: { status: 400 } });
    // The refused items changed nothing: the conflicting one is still the first declaration, awaiting its PUT.
    expect(await state(conflicting!.decl.id)).toBe('pending');
    expect(await state(deleted!.decl.id)).toBeUndefined();
  });

  it('refuses more than 100 items with 413 and names the limit, and an empty or malformed envelope with 400', async () => {
    const { deviceId, client } = await device();
    const many = (await shots(1, deviceId)).map((s) => s.decl);
    const items = Array.from({ length: 101 }, () => ({ ...many[0]!, id: uuidv7() }));
    const tooMany = await client.post('/v1/screenshots/batch', { items });
    expect(tooMany.status).toBe(413);
    expect(tooMany.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(tooMany.body)).toContain('at most 100');
    expect((await client.post('/v1/screenshots/batch/complete', { ids: items.map((i) => i.id) })).status).toBe(413);
    expect((await client.post('/v1/screenshots/batch', { items: [] })).status).toBe(400);
    expect((await client.post('/v1/screenshots/batch', { items: many, extra: 1 })).status).toBe(400);
    expect((await client.post('/v1/screenshots/batch/complete', { ids: 'x' })).status).toBe(400);
    // Exactly 100 is fine.
    expect((await client.post('/v1/screenshots/batch', { items: items.slice(0, 100) })).status).toBe(200);
  });

  it('refuses another device\'s items alone, with 403', async () => {
    const { deviceId, client } = await device();
    const other = await device();
    const [mine, theirs] = await shots(2, deviceId, 40);
    const r = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [mine!.decl, { ...theirs!.decl, deviceId: other.deviceId }] });
    expect(r.body.items.map((i) => (i.status === 'refused' ? i.problem.status : i.status))).toEqual(['upload', 403]);
  });
});

describe('batch complete (verified asynchronously)', () => {
  it('records uploads at once, shows them only once the worker verified them, and answers unknown and deleted ids per item', async () => {
    const { deviceId, client } = await device();
    const batch = await shots(3, deviceId, 60);
    const declared = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: batch.map((s) => s.decl) });
    for (const [i, item] of declared.body.items.entries()) expect((await putBlob((item as Upload).upload, batch[i]!.image)).status).toBe(200);
    const unknown = uuidv7();
    const done = await client.post<CompleteBatchResponse>('/v1/screenshots/batch/complete', { ids: [...batch.map((s) => s.decl.id), unknown, 42] });
    expect(done.status).toBe(200);
    expect(done.body.items.slice(0, 3)).toEqual(batch.map((s) => ({ status: 'stored', id: s.decl.id })));
    expect(done.body.items[3]).toMatchObject({ status: 'refused', id: unknown, problem: { status: 404 } });
    expect(done.body.items[4]).toMatchObject({ status: 'refused', id: null, problem: { status: 400 } });
    const day = batch[0]!.decl.takenAt.slice(0, 10);
    expect(await state(batch[0]!.decl.id)).toBe('received');
    expect(await timelineIds(day)).not.toContain(batch[0]!.decl.id);
    expect((await fx.as('manager').get(`/v1/screenshots/${batch[0]!.decl.id}`)).status).toBe(404);
    // A replay of the complete changes nothing and queues nothing new.
    expect((await client.post<CompleteBatchResponse>('/v1/screenshots/batch/complete', { ids: [batch[0]!.decl.id] })).body.items[0]).toEqual({ status: 'stored', id: batch[0]!.decl.id });

    const outcomes = await processScreenshots(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotIds: batch.map((s) => s.decl.id) });
    expect(outcomes).toEqual(['verified', 'verified', 'verified']);
    expect(await timelineIds(day)).toEqual(expect.arrayContaining(batch.map((s) => s.decl.id)));
  });

  it('marks a row whose object never arrived missing: never shown, and its next declaration gets a PUT again', async () => {
    const { deviceId, client } = await device();
    const [lost] = await shots(1, deviceId, 80);
    const declared = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [lost!.decl] });
    expect(declared.body.items[0]?.status).toBe('upload');
    // The device claims its PUT landed, but it never sent it.
    expect((await client.post<CompleteBatchResponse>('/v1/screenshots/batch/complete', { ids: [lost!.decl.id] })).body.items[0]?.status).toBe('stored');
    expect(await processScreenshots(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotIds: [lost!.decl.id] })).toEqual(['missing']);
    expect(await state(lost!.decl.id)).toBe('missing');
    const day = lost!.decl.takenAt.slice(0, 10);
    expect(await timelineIds(day)).not.toContain(lost!.decl.id);
    expect((await fx.as('manager').get(`/v1/screenshots/${lost!.decl.id}`)).status).toBe(404);
    // A job run again (a pg-boss retry) leaves it missing.
    expect(await processScreenshots(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotIds: [lost!.decl.id] })).toEqual(['gone']);

    const again = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [lost!.decl] });
    expect(again.body.items[0]?.status).toBe('upload');
    expect((await putBlob((again.body.items[0] as Upload).upload, lost!.image)).status).toBe(200);
    await client.post('/v1/screenshots/batch/complete', { ids: [lost!.decl.id] });
    expect(await processScreenshots(fx.srv.ctx, { orgId: fx.srv.seed.orgId, screenshotIds: [lost!.decl.id] })).toEqual(['verified']);
    expect(await timelineIds(day)).toContain(lost!.decl.id);
  });

  it('answers 410 for an id its owner deleted before completing, and removes an object that landed meanwhile', async () => {
    const { deviceId, client } = await device();
    const [shot] = await shots(1, deviceId, 90);
    const declared = await client.post<DeclareBatchResponse>('/v1/screenshots/batch', { items: [shot!.decl] });
    const upload = (declared.body.items[0] as Upload).upload;
    // Its owner deletes it (within the grace window) while the PUT is in flight.
    expect((await client.del(`/v1/screenshots/${shot!.decl.id}`)).status).toBe(204);
    expect((await putBlob(upload, shot!.image)).status).toBe(200);
    const key = new URL(upload.url).pathname.split('/').slice(2).join('/');
    expect(await fx.srv.blobs.head(key)).not.toBeNull();
    const done = await client.post<CompleteBatchResponse>('/v1/screenshots/batch/complete', { ids: [shot!.decl.id] });
    expect(done.body.items[0]).toMatchObject({ status: 'refused', id: shot!.decl.id, problem: { status: 410 } });
    expect(await fx.srv.blobs.head(key)).toBeNull();
  });
});
