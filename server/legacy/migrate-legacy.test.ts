import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TimelineResponse } from '../../src/shared/http/timeline';
import { createS3Client } from '../store/blob/s3-blob-store';
import { userKeyPrefix } from '../store/blob/object-keys';
import { api, enrollDevice, eventually, login, uploadScreenshot } from '../test-support/api';
import { insertLegacyRows, legacySchema } from '../test-support/legacy-table';
import { spawnServerProcess } from '../test-support/spawn-server';
import { startTestServer, type TestServer } from '../test-support/start-test-server';
import { createTestDatabase } from '../test-support/test-database';

const s3 = inject('s3');
const pgUrl = inject('postgresUrl');
/** Kill rounds: 15 keep CI near a minute on a shared 2-core box; `STINT_MIGRATE_KILL_ROUNDS=51` is the full soak (docs/reliability.md). */
const ROUNDS = Number(process.env.STINT_MIGRATE_KILL_ROUNDS ?? 15);
const LANES = 3;
const DAY = new Date('2026-03-02T08:00:00Z');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(!s3 || !pgUrl)('npm run migrate:legacy moves base64/bytea screenshots into Stint', () => {
  let srv: TestServer;
  let legacyUrl: string;
  let bucket: string;
  let dir: string;
  const drops: Array<() => Promise<void>> = [];

  const env = () => ({
    DATABASE_URL: srv.db.pool.options.connectionString as string,
    STINT_DATA_DIR: dir,
    BLOB_DRIVER: 's3',
    S3_ENDPOINT: s3!.endpoint,
    S3_REGION: s3!.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: s3!.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3!.secretAccessKey,
    STINT_SECRET: 'x'.repeat(40),
  });
  const migrate = (table: string, extra: string[] = []) => spawnServerProcess('legacy/main', env(), ['--from', legacyUrl, '--table', table, ...extra]);
  const sql = async <T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    if (!s3 || !pgUrl) return;
    const [stint, legacy] = await Promise.all([createTestDatabase(pgUrl), createTestDatabase(pgUrl)]);
    drops.push(stint.drop, legacy.drop);
    legacyUrl = legacy.url;
    bucket = `stint-legacy-${randomBytes(4).toString('hex')}`;
    const client = createS3Client({ ...s3, forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    dir = await mkdtemp(path.join(tmpdir(), 'stint-legacy-'));
    srv = await startTestServer({ databaseUrl: stint.url, blob: { kind: 's3', ...s3, bucket } });
  });
  afterAll(async () => {
    await srv?.stop();
    for (const d of drops) await d();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`survives SIGKILL at random points (${ROUNDS} rounds, rows added between them): every row once, byte-identical, no orphan objects, served by the API meanwhile`, async () => {
    const { employee, employee2, orgId } = srv.seed;
    // Independent legacy tables (each its own source) side by side keep the wall time of the
    // rounds down: each round is a fresh process, and starting one costs about a second.
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const table = `shots_${lane}`;
        await sql(legacyUrl, legacySchema(table, 'bytea'));
        const rows = await insertLegacyRows(legacyUrl, table, 'bytea', [employee.id, employee2.id], 30, DAY, lane * 10_000);
        let killed = 0;
        for (let round = lane; round < ROUNDS; round += LANES) {
          rows.push(...(await insertLegacyRows(legacyUrl, table, 'bytea', [employee.id, employee2.id], 2, DAY, lane * 10_000 + rows.length)));
          // Small pages and chunks: many commits per run, so a kill lands between or inside them.
          const p = migrate(table, ['--page-rows', '5', '--chunk-mb', '1', '--concurrency', '3']);
          await p.waitFor(/rows \(.*\) to scan/).catch(() => undefined);
          const timer = setTimeout(() => p.child.kill('SIGKILL'), Math.random() * 400);
          const code = await p.exited;
          clearTimeout(timer);
          if (code === null) killed++;
          else expect(code, p.output()).toBe(0);
        }
        return { table, rows, killed };
      }),
    );
    expect(lanes.reduce((n, l) => n + l.killed, 0)).toBeGreaterThan(0);

    // While the migration ran, the API kept taking new screenshots the usual way.
    const device = await enrollDevice(srv.url, await srv.seed.enrollmentToken());
    const fresh = await uploadScreenshot(srv.url, device.accessToken, device.deviceId, new Date(DAY.getTime() + 3 * 3600_000));

    for (const lane of lanes) {
      const last = migrate(lane.table, ['--json']);
      expect(await last.exited, last.output()).toBe(0);
      const summary = JSON.parse(last.output().trim().split('\n').pop()!) as { finished: boolean; skippedRows: unknown[] };
      expect(summary.finished).toBe(true);
      expect(summary.skippedRows).toEqual([]);
    }
    const rows = lanes.flatMap((l) => l.rows);
    const inStint = await sql<{ id: string; n: string; object_key: string; sha256: string; bytes: number; state: string }>(
      srv.db.pool.options.connectionString as string,
      `SELECT id, count(*) OVER (PARTITION BY id) AS n, object_key, sha256, bytes, state FROM screenshots WHERE id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
    expect(inStint.length).toBe(rows.length);
    expect(inStint.every((r) => r.n === '1')).toBe(true);
    const byId = new Map(inStint.map((r) => [r.id, r]));
    for (const r of rows) {
      const row = byId.get(r.id)!;
      expect(row.sha256).toBe(r.sha256);
      expect(sha(await srv.blobs.get(row.object_key))).toBe(r.sha256);
    }

    // Every object under the users' prefixes is a row's image or the thumbnail the worker made of it.
    // The worker writes a thumbnail before it records it on the row, so look once every row is processed.
    const all = await eventually(async () => {
      const r = await sql<{ object_key: string; thumb_key: string | null; state: string }>(srv.db.pool.options.connectionString as string, 'SELECT object_key, thumb_key, state FROM screenshots');
      return r.every((x) => x.state === 'verified' || x.state === 'corrupt') ? r : null;
    }, 240);
    const referenced = new Set(all.flatMap((r) => [r.object_key, ...(r.thumb_key ? [r.thumb_key] : [])]));
    const stored = [...(await srv.blobs.list(userKeyPrefix(orgId, employee.id))), ...(await srv.blobs.list(userKeyPrefix(orgId, employee2.id)))];
    expect(stored.filter((k) => !referenced.has(k))).toEqual([]);
    expect(stored.filter((k) => !k.includes('.thumb.')).length).toBe(rows.length + 1);

    // The timeline shows migrated and new screenshots side by side, thumbnails made by the worker.
    const manager = api(srv.url, (await login(srv.url, srv.seed.manager.email, srv.seed.manager.password)).accessToken);
    const day = await eventually(async () => {
      const t = await manager.get<TimelineResponse>(`/v1/timeline?userId=${employee.id}&date=2026-03-02&tz=UTC`);
      const shots = t.body.slots.flatMap((s) => s.screenshots);
      const migrated = rows.filter((r) => r.userId === employee.id && r.takenAt.toISOString().startsWith('2026-03-02'));
      return shots.length === migrated.length + 1 && shots.every((s) => s.thumbUrl) ? shots : null;
    });
    expect(day.map((s) => s.id)).toContain(fresh);
    const one = day.find((s) => s.id !== fresh)!;
    const full = await fetch(one.fullUrl);
    expect(sha(Buffer.from(await full.arrayBuffer()))).toBe(rows.find((r) => r.id === one.id)!.sha256);
  }, 240_000);

  it('reports a row with corrupt base64 (and other unmovable rows) and moves the rest; --prune then empties the legacy table of moved rows only', async () => {
    const { employee } = srv.seed;
    await sql(legacyUrl, legacySchema('shots_b64', 'text'));
    const good = await insertLegacyRows(legacyUrl, 'shots_b64', 'text', [employee.id], 5, DAY, 500);
    const bad = [
      ['00000000-0000-4000-8000-000000000001', employee.id, 'iVBORw0KGgo!!not base64!!'],
      ['00000000-0000-4000-8000-000000000002', employee.id, Buffer.from('plain text, not an image').toString('base64')],
      ['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000ff', good[0]!.body.toString('base64')],
    ] as const;
    for (const [id, user, image] of bad) {
      await sql(legacyUrl, `INSERT INTO shots_b64 VALUES ($1, $2, $3, 'image/png', $4)`, [id, user, DAY, image]);
    }
    const run = migrate('shots_b64');
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/3 legacy rows skipped/);
    expect(run.output()).toContain('00000000-0000-4000-8000-000000000001: the image column is not valid base64');
    expect(run.output()).toMatch(/000000000002: the image does not decode/);
    expect(run.output()).toMatch(/000000000003: no Stint user/);
    const moved = await sql<{ id: string; sha256: string }>(srv.db.pool.options.connectionString as string, 'SELECT id, sha256 FROM screenshots WHERE id = ANY($1::uuid[])', [
      [...good.map((g) => g.id), ...bad.map((b) => b[0])],
    ]);
    expect(new Map(moved.map((m) => [m.id, m.sha256]))).toEqual(new Map(good.map((g) => [g.id, g.sha256])));

    const prune = migrate('shots_b64', ['--prune', '--no-migrate']);
    expect(await prune.exited, prune.output()).toBe(0);
    expect(prune.output()).toContain('pruned 5 legacy rows');
    const left = await sql<{ id: string }>(legacyUrl, 'SELECT id FROM shots_b64 ORDER BY id');
    expect(left.map((r) => r.id)).toEqual(bad.map((b) => b[0]));
  }, 120_000);

  it('refuses bad arguments with the reason and the usage (exit 2)', async () => {
    const p = spawnServerProcess('legacy/main', env(), ['--from', 'mysql://x', '--table', 'a;drop']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('--from: must be a postgres:// URL');
    expect(p.output()).toContain('--table: must be table or schema.table');
    expect(p.output()).toContain('usage: npm run migrate:legacy');
  }, 60_000);
});
