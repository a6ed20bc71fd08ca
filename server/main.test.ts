import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from './test-support/api';
import { spawnServerProcess, type Spawned } from './test-support/spawn-server';

describe('npm run server on embedded defaults', () => {
  let dir: string | undefined;
  const running: Spawned[] = [];
  afterAll(async () => {
    for (const p of running) await p.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts embedded PostgreSQL and fs blobs with no services, seeds a demo org once, and the second run reuses it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stint-main-'));
    const env = { STINT_DATA_DIR: dir, PORT: '0', DATABASE_URL: '', BLOB_DRIVER: 'fs' };
    const first = spawnServerProcess('main', env);
    running.push(first);
    const url = (await first.waitFor(/listening on (http:\/\/\S+)/))[1] as string;
    const admin = await first.waitFor(/admin\s+(\S+)\s+password: (\S+)/);
    const token = (await first.waitFor(/enrollment token \(lead, until \S+\): (\S+)/))[1] as string;
    const login = await api(url).post<{ user: { role: string } }>('/v1/auth/login', { email: admin[1], password: admin[2] });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');
    const enroll = await api(url).post('/v1/devices/enroll', { enrollmentToken: token, deviceId: '01900000-0000-7000-8000-000000000001', name: 'box', platform: 'linux' });
    expect(enroll.status).toBe(201);
    expect((await api(url).get('/readyz')).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = spawnServerProcess('main', env);
    running.push(second);
    const url2 = (await second.waitFor(/listening on (http:\/\/\S+)/))[1] as string;
    const admin2 = await second.waitFor(/admin\s+(\S+)\s+password: (\S+)/);
    expect([admin2[1], admin2[2]]).toEqual([admin[1], admin[2]]);
    expect((await api(url2).post('/v1/auth/login', { email: admin[1], password: admin[2] })).status).toBe(200);
    const orgs = await api(url2).post<{ accessToken: string }>('/v1/auth/login', { email: admin[1], password: admin[2] });
    const me = await api(url2, orgs.body.accessToken).get<{ org: { name: string } }>('/v1/me');
    expect(me.body.org.name).toBe('Demo Company');
    expect(await second.stop()).toBe(0);
  });

  it('refuses to start with a bad configuration, saying which setting is wrong', async () => {
    const p = spawnServerProcess('main', { PORT: 'not-a-port', STINT_DATA_DIR: path.join(tmpdir(), 'never-created') });
    running.push(p);
    await p.waitFor(/invalid server configuration: PORT/);
    // It ends by itself with 1; stopping it here would race that exit with a SIGTERM.
    expect(await p.exited).toBe(1);
  });
});
