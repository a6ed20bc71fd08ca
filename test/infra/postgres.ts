import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../server/store/embedded-postgres';

/**
 * The suite's PostgreSQL: DATABASE_TEST_URL when set (an existing server the developer gives),
 * otherwise a real embedded PostgreSQL on a free 127.0.0.1 port in a temp dir, removed on stop.
 */
export async function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.DATABASE_TEST_URL;
  if (given) return { url: given, stop: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), 'stint-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data') });
  return {
    url: pg.url,
    stop: async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
