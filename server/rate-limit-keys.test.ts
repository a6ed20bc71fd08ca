import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './config';
import { api } from './test-support/api';
import { startTestServer, type TestServer, type TestServerOptions } from './test-support/start-test-server';
import { createTestDatabase, suitePostgresUrl } from './test-support/test-database';

/** A real server of this describe's own, on a database of its own. */
function serverWith(settings: TestServerOptions['settings']) {
  const box: { srv: TestServer } = {} as { srv: TestServer };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase(suitePostgresUrl());
    drop = database.drop;
    box.srv = await startTestServer({ databaseUrl: database.url, blob: { kind: 'fs' }, jobs: false, settings });
  });
  afterAll(async () => {
    await box.srv?.stop();
    await drop?.();
  });
  return box;
}

const statuses = async (n: number, call: (i: number) => Promise<{ status: number }>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(i)).status);
  return out;
};

describe('API rate limit keys', () => {
  const box = serverWith({ rateLimitPerMinute: 5 });

  it('a junk Authorization header on each anonymous request buys no fresh bucket: they all count against the address', async () => {
    const got = await statuses(8, (i) => api(box.srv.url).get('/v1/me', { authorization: `Bearer junk.token.${i}` }));
    expect(got.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(got.slice(5)).toEqual([429, 429, 429]);
  });

  it('a verified caller counts on its own identity, not on the spent address (devices behind one NAT)', async () => {
    const s = box.srv.seed;
    const token = await box.srv.ctx.tokens.issue({ userId: s.employee.id, orgId: s.orgId, role: 'employee', deviceId: null });
    expect((await api(box.srv.url).get('/v1/me', { authorization: 'Bearer still.junk.x' })).status).toBe(429);
    const got = await statuses(6, () => api(box.srv.url, token).get('/v1/me'));
    expect(got).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('X-Forwarded-For with no trusted proxy (the default)', () => {
  const box = serverWith({ loginRateLimitPerMinute: 3 });

  it('is ignored: guesses that each claim another address share the peer address bucket', async () => {
    const guess = (i: number) => api(box.srv.url).post('/v1/auth/login', { email: 'x@y.test', password: 'nope' }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
    expect(await statuses(5, guess)).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('X-Forwarded-For from a trusted proxy (TRUST_PROXY=loopback)', () => {
  const box = serverWith({ loginRateLimitPerMinute: 3, trustProxy: ['loopback'] });

  it('names the client: each forwarded address has its own bucket, and one address is still limited', async () => {
    const from = (addr: string) => () => api(box.srv.url).post('/v1/auth/login', { email: 'x@y.test', password: 'nope' }, { 'x-forwarded-for': addr });
    expect(await statuses(5, (i) => from(`203.0.113.${i + 1}`)())).toEqual([401, 401, 401, 401, 401]);
    expect(await statuses(5, from('198.51.100.7'))).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('TRUST_PROXY configuration', () => {
  const trust = (v?: string) => loadEnv(v === undefined ? {} : { TRUST_PROXY: v }).TRUST_PROXY;

  it('defaults to no proxy; takes none, a hop count, names, addresses and CIDRs', () => {
    expect(trust()).toBe(false);
    expect(trust('none')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('loopback')).toEqual(['loopback']);
    expect(trust('10.0.0.1, 192.168.0.0/16,uniquelocal, ::1, fd00::/8')).toEqual(['10.0.0.1', '192.168.0.0/16', 'uniquelocal', '::1', 'fd00::/8']);
  });

  it('refuses anything else with the reason (no "trust everyone")', () => {
    for (const bad of ['true', '*', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/2', '0', 'loopback,']) {
      expect(() => trust(bad), bad).toThrow(/invalid server configuration: TRUST_PROXY: not a proxy address/);
    }
  });
});
