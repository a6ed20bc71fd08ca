import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  }
}

/**
 * A fresh database on the suite's PostgreSQL for one test file, dropped at the end, so test
 * files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(baseUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `stint_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The suite's PostgreSQL (the global setup's), or a failure that says the run started none. */
export function suitePostgresUrl(): string {
  const base = inject('postgresUrl');
  if (!base) throw new Error('these tests need PostgreSQL (STINT_TEST_INFRA=pg or all)');
  return base;
}
