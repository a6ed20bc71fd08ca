import { afterAll, beforeAll, inject } from 'vitest';
import { api, login } from './api';
import { startTestServer, type TestServer, type TestServerOptions } from './start-test-server';
import { createTestDatabase } from './test-database';

export interface Fixture {
  srv: TestServer;
  /** Access tokens of the seeded users, by role name. */
  tokens: Record<'admin' | 'manager' | 'employee' | 'employee2' | 'outsider', string>;
  as(who: keyof Fixture['tokens']): ReturnType<typeof api>;
}

/**
 * Starts the real server for this test file on a database of its own and signs the seeded
 * users in. Read `fx.srv` etc. inside tests (they are set in beforeAll).
 */
export function useTestServer(opts: Omit<TestServerOptions, 'databaseUrl' | 'blob'> & { blob?: 'fs' | 's3' } = {}): Fixture {
  const fx = {} as Fixture;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const base = inject('postgresUrl');
    if (!base) throw new Error('these tests need PostgreSQL (STINT_TEST_INFRA=pg or all)');
    const s3 = inject('s3');
    if (opts.blob === 's3' && !s3) throw new Error('these tests need S3 (STINT_TEST_INFRA=s3 or all)');
    const database = await createTestDatabase(base);
    drop = database.drop;
    fx.srv = await startTestServer({
      ...opts,
      databaseUrl: database.url,
      blob: opts.blob === 's3' && s3 ? { kind: 's3', ...s3 } : { kind: 'fs' },
    });
    const s = fx.srv.seed;
    const entries = await Promise.all(
      (['admin', 'manager', 'employee', 'employee2', 'outsider'] as const).map(async (k) => [k, (await login(fx.srv.url, s[k].email, s[k].password)).accessToken] as const),
    );
    fx.tokens = Object.fromEntries(entries) as Fixture['tokens'];
    fx.as = (who) => api(fx.srv.url, fx.tokens[who]);
  });
  afterAll(async () => {
    await fx.srv?.stop();
    await drop?.();
  });
  return fx;
}
