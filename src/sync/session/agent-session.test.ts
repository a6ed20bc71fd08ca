import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startX11Probe } from '../activity/x11-probe';
import { defaultCapturerModule } from '../capture/capture-worker-client';
import { tempDir } from '../test-support/temp-dir';
import { startXvfb, type Xvfb } from '../../../test/infra/xvfb';
import { createTracker } from '../tracker';
import { prepareAgentSync } from './agent-session';
import { startRealServer, type RealServer } from '../test-support/real-server';

const run = promisify(execFile);

// The agent's wiring end to end: a real X display, real captures and input, the real server and S3.
let server: RealServer;
let xvfb: Xvfb;
beforeAll(async () => {
  [server, xvfb] = await Promise.all([startRealServer({ postgresUrl: inject('postgresUrl')!, s3: inject('s3')! }), startXvfb({ width: 1280, height: 800 })]);
});
afterAll(async () => {
  await server?.close();
  await xvfb?.stop();
});

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('agent sync under Xvfb', () => {
  it('enrolls, captures real screenshots and activity, and gets every one to the server once with its bytes and times', async () => {
    const home = tempDir('stint-agent-sync-');
    const logs: string[] = [];
    const probe = startX11Probe({ display: xvfb.display });
    try {
      await probe.ready;
      const sync = await prepareAgentSync({
        dataDir: home.path,
        env: { STINT_SERVER_URL: server.url, STINT_ENROLLMENT_TOKEN: await server.enrollmentToken() },
        deviceName: 'xvfb agent',
        log: (l) => logs.push(l),
      });
      expect(sync).not.toBeNull();
      const { ports, projects, deviceId } = sync!;
      expect(projects.map((p) => p.id)).toContain(server.seed.project.id);

      const tracker = await createTracker(
        { capturer: { module: defaultCapturerModule, options: { display: xvfb.display } }, idle: probe, windows: probe, log: (l) => logs.push(l), ...ports },
        { dataDir: home.path, projects, policy: sync!.policy, serverUrl: server.url },
      );
      const progress: number[] = [];
      sync!.sync.on((e) => e.type === 'sync-progress' && progress.push(e.remaining));
      try {
        await tracker.api['timer.start']({ projectId: server.seed.project.id });
        for (let i = 0; i < 3; i++) {
          await run('xdotool', ['mousemove', String(200 + i * 40), '300', 'key', 'shift'], { env: xvfb.env });
          await tracker.captureNow();
        }
        await tracker.api['timer.stop']({});
        await expect
          .poll(async () => (await tracker.api['status.get']({})).queue, { timeout: 30_000 })
          .toMatchObject({ screenshots: 0, ops: 0, dead: 0 });
        expect((await tracker.api['status.get']({})).sync).toMatchObject({ state: 'idle', lastError: null });
      } finally {
        await tracker.shutdown();
      }
      expect(progress.at(-1)).toBe(0);

      const outbox = new Database(join(home.path, 'outbox.db'), { readonly: true });
      const local = outbox.prepare(`SELECT id, taken_at, sha256, file_path, state FROM screenshots`).all() as Array<{ id: string; taken_at: number; sha256: string; file_path: string; state: string }>;
      outbox.close();
      expect(local.length).toBeGreaterThanOrEqual(3);
      const remote = await query<{ id: string; taken_at: Date; sha256: string; object_key: string; state: string }>(
        `SELECT id, taken_at, sha256, object_key, state FROM screenshots WHERE device_id = $1`,
        [deviceId],
      );
      expect(remote.map((r) => r.id).sort()).toEqual(local.map((l) => l.id).sort());
      for (const l of local) {
        const r = remote.find((x) => x.id === l.id)!;
        expect(r).toMatchObject({ sha256: l.sha256, state: 'received' });
        expect(r.taken_at.getTime()).toBe(l.taken_at);
        const object = await server.s3.send(new GetObjectCommand({ Bucket: server.bucket, Key: r.object_key }));
        expect(createHash('sha256').update(await object.Body!.transformToByteArray()).digest('hex')).toBe(l.sha256);
        expect(l.state).toBe('done');
        expect(existsSync(l.file_path)).toBe(false);
      }
      const minutes = await query<{ active_seconds: number }>(`SELECT active_seconds FROM activity_minutes WHERE device_id = $1`, [deviceId]);
      expect(minutes.length).toBeGreaterThanOrEqual(1);
      const entries = await query<{ ended_at: Date | null }>(`SELECT ended_at FROM time_entries WHERE device_id = $1`, [deviceId]);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.ended_at).not.toBeNull();
    } finally {
      probe.stop();
      home.remove();
    }
  });
});
