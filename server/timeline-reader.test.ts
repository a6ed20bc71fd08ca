import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SyncOp } from '../src/shared/http/push';
import type { TimelineResponse } from '../src/shared/http/timeline';
import { mintEnrollmentToken, type OrgSeed } from './demo/seed';
import { Db } from './store/db';
import { api, enrollDevice, login } from './test-support/api';
import { spawnServerProcess, type Spawned } from './test-support/spawn-server';
import { startTestServer } from './test-support/start-test-server';
import { createTestDatabase } from './test-support/test-database';

// DATABASE_READ_URL: timeline reads go to the reader, writes never do. The reader here is a
// database copied from the primary (CREATE DATABASE ... TEMPLATE) on the same real PostgreSQL,
// i.e. a replica that stopped replaying: what the timeline shows tells which database answered.

let base: string;
let primary: Awaited<ReturnType<typeof createTestDatabase>>;
let readerName: string;
let readerUrl: string;
let seed: OrgSeed;
let server: Spawned;
let serverUrl: string;
let dataDir: string;
const DAY = '2024-04-02';

const minutes = (entryId: string, fromIso: string, count: number): SyncOp[] =>
  Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    kind: 'activity.minute',
    minute: { id: uuidv7(), entryId, minuteStart: new Date(Date.parse(fromIso) + i * 60_000).toISOString(), activeSeconds: 30, trackedSeconds: 60, apps: [{ app: 'editor', seconds: 60 }] },
  }));

async function pushAs(url: string, token: string, deviceId: string, ops: SyncOp[]): Promise<void> {
  const r = await api(url, token).post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', { deviceId, sentAt: new Date().toISOString(), ops });
  expect(r.status).toBe(200);
  expect(r.body.results.every((x) => x.outcome === 'applied')).toBe(true);
}

async function count(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0]?.n);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const pgUrl = inject('postgresUrl');
  if (!pgUrl) throw new Error('these tests need PostgreSQL (STINT_TEST_INFRA=pg or all)');
  base = pgUrl;
  primary = await createTestDatabase(base);
  // Before the copy: 30 minutes of the employee's day, through the real ingest path.
  const first = await startTestServer({ databaseUrl: primary.url, blob: { kind: 'fs' }, jobs: false });
  seed = first.seed;
  const device = await enrollDevice(first.url, await first.seed.enrollmentToken());
  const entryId = uuidv7();
  await pushAs(first.url, device.accessToken, device.deviceId, [
    { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryId, projectId: seed.project.id, taskId: null, startedAt: `${DAY}T09:00:00Z`, endedAt: null, stopReason: null } },
    ...minutes(entryId, `${DAY}T09:00:00Z`, 30),
  ]);
  await first.stop();
  readerName = `${primary.name}_reader`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${readerName} TEMPLATE ${primary.name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${readerName}`;
  readerUrl = u.toString();
  dataDir = await mkdtemp(path.join(tmpdir(), 'stint-reader-'));
  server = spawnServerProcess('main', {
    DATABASE_URL: primary.url,
    DATABASE_READ_URL: readerUrl,
    STINT_DATA_DIR: dataDir,
    STINT_SECRET: randomBytes(32).toString('base64url'),
    PORT: '0',
  });
  serverUrl = (await server.waitFor(/listening on (http:\/\/\S+)/))[1] as string;
});

afterAll(async () => {
  await server?.stop();
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${readerName} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  await primary?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('DATABASE_READ_URL', () => {
  it('timeline reads come from the reader; the push after the copy lands on the primary only', async () => {
    const db = new Db(primary.url, 1);
    const token = await mintEnrollmentToken(db, seed.orgId, seed.employee.id, new Date());
    await db.close();
    const device = await enrollDevice(serverUrl, token);
    const entryId = uuidv7();
    await pushAs(serverUrl, device.accessToken, device.deviceId, [
      { id: uuidv7(), kind: 'entry.upsert', entry: { id: entryId, projectId: seed.project.id, taskId: null, startedAt: `${DAY}T14:00:00Z`, endedAt: null, stopReason: null } },
      ...minutes(entryId, `${DAY}T14:00:00Z`, 20),
    ]);
    const minutesOf = `SELECT count(*) AS n FROM activity_minutes WHERE minute_start::date = '${DAY}'`;
    expect(await count(primary.url, minutesOf)).toBe(50);
    expect(await count(readerUrl, minutesOf)).toBe(30);
    // The device enrolled on the primary: the reader never saw it.
    expect(await count(readerUrl, `SELECT count(*) AS n FROM devices WHERE id = '${device.deviceId}'`)).toBe(0);

    const manager = await login(serverUrl, seed.manager.email, seed.manager.password);
    const t = await api(serverUrl, manager.accessToken).get<TimelineResponse>(`/v1/timeline?userId=${seed.employee.id}&date=${DAY}&tz=UTC`);
    expect(t.status).toBe(200);
    expect(t.body.totals.trackedSeconds).toBe(30 * 60);
    expect(t.body.slots.map((s) => s.start)).toEqual([0, 1, 2].map((i) => `${DAY}T09:${i}0:00.000Z`));
  });
});
