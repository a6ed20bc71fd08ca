import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Starts the real servers the suite needs once per run (PostgreSQL, an S3 server that checks
 * SigV4 signatures) and hands their coordinates to test files through `inject()`.
 * Each test file makes its own database (see test/infra/databases.ts) so files run in parallel.
 * STINT_TEST_INFRA picks what to start while iterating: "none", "pg", "s3" or "all" (the default).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  }
}

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The window's build (dist/renderer), made once before any file runs when it is missing (a fresh
 * clone). `npm start` (scripts/start.test.ts) and the packaging test (test/electron-package.test.ts)
 * each build it when missing; on a machine with cores enough for both files at once, two builds
 * would empty the folder under each other.
 */
function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureRendererBuilt();
  const stops: Array<() => Promise<void>> = [];
  const want = process.env.STINT_TEST_INFRA ?? 'all';
  const wantPg = want === 'all' || want === 'pg';
  const wantS3 = want === 'all' || want === 's3';
  const [pg, s3] = await Promise.all([
    wantPg ? import('./postgres').then((m) => m.startTestPostgres()) : null,
    wantS3 ? import('./s3').then((m) => m.startTestS3()) : null,
  ]);
  if (pg) stops.push(pg.stop);
  if (s3) stops.push(s3.stop);
  project.provide('postgresUrl', pg?.url ?? null);
  project.provide(
    's3',
    s3
      ? { endpoint: s3.endpoint, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
      : null,
  );
  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('test infra stop failed', err));
  };
}
