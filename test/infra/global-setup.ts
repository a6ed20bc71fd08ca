import type { TestProject } from 'vitest/node';

/**
 * Starts the real servers the suite needs once per run (PostgreSQL, an S3 server that checks
 * SigV4 signatures) and hands their coordinates to test files through `inject()`.
 * Each test file makes its own database (see test/infra/databases.ts) so files run in parallel.
 * Set STINT_TEST_INFRA=none to run only the tests that need no servers.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  if (process.env.STINT_TEST_INFRA === 'none') {
    project.provide('postgresUrl', null);
    project.provide('s3', null);
    return async () => {};
  }
  const { startTestPostgres } = await import('./postgres');
  const { startTestS3 } = await import('./s3');
  const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  stops.push(pg.stop, s3.stop);
  project.provide('postgresUrl', pg.url);
  project.provide('s3', {
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('test infra stop failed', err));
  };
}
