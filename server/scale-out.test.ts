import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { createS3Client } from './store/blob/s3-blob-store';
import { Db } from './store/db';
import { migrate } from './store/migrate';
import { seedOrg, type OrgSeed } from './demo/seed';
import { api, declareShot, eventually, login, makeImage, putBlob } from './test-support/api';
import { spawnServerProcess, type Spawned } from './test-support/spawn-server';
import { createTestDatabase } from './test-support/test-database';

const s3 = inject('s3');
const pgUrl = inject('postgresUrl');

describe.skipIf(!s3 || !pgUrl)('two API processes and one worker on one database behave as one server', () => {
  const procs: Spawned[] = [];
  let drop: () => Promise<void>;
  let dir: string;
  let seed: OrgSeed;
  let a: string;
  let b: string;

  beforeAll(async () => {
    if (!s3 || !pgUrl) return;
    const database = await createTestDatabase(pgUrl);
    drop = database.drop;
    const db = new Db(database.url, 2);
    await migrate(db);
    seed = await seedOrg(db);
    await db.close();
    const bucket = `stint-scale-${randomBytes(4).toString('hex')}`;
    const client = createS3Client({ ...s3, forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    dir = await mkdtemp(path.join(tmpdir(), 'stint-scale-'));
    const env = (name: string) => ({
      DATABASE_URL: database.url,
      STINT_DATA_DIR: path.join(dir, name),
      STINT_SECRET: randomBytes(32).toString('base64url').padEnd(40, 'x'),
      BLOB_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      PORT: '0',
      JOBS_IN_PROCESS: 'false',
    });
    const shared = env('shared');
    const start = (script: 'main' | 'worker', name: string) => {
      const p = spawnServerProcess(script, { ...shared, STINT_DATA_DIR: path.join(dir, name) });
      procs.push(p);
      return p;
    };
    const [pa, pb, worker] = [start('main', 'a'), start('main', 'b'), start('worker', 'w')];
    a = (await pa.waitFor(/listening on (http:\/\/\S+)/))[1] as string;
    b = (await pb.waitFor(/listening on (http:\/\/\S+)/))[1] as string;
    await worker.waitFor(/stint worker running/);
  });

  afterAll(async () => {
    for (const p of procs) await p.stop();
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
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
