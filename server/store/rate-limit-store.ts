import { PostgresStore } from '@acpr/rate-limit-postgresql';
import type { Store } from 'express-rate-limit';
import pg from 'pg';

export type RateLimitName = 'api' | 'login';

/** One express-rate-limit store per limiter, and a way to close their connections. */
export interface RateLimitStores {
  store(name: RateLimitName): Store;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** The package's store, with the Db pool's rule: an idle connection the server dropped is not a crash. */
class SharedStore extends PostgresStore {
  override init(options: Parameters<PostgresStore['init']>[0]): void {
    super.init(options);
    (this.pool as { on(event: 'error', fn: () => void): void }).on('error', () => undefined);
  }
}

/**
 * Rate-limit counters in PostgreSQL, shared by every API process (N processes allow the limit
 * once, not N times): @acpr/rate-limit-postgresql, the express-rate-limit project's PostgreSQL
 * store, with its fixed-window counters in a `rate_limit` schema of its own (it holds no org
 * data, so it sits outside row-level security and runs as the database owner, not stint_app).
 * The package migrates its schema from the store's constructor without waiting: this waits until
 * its functions exist, so the first request never races the migration.
 */
export async function postgresRateLimitStores(databaseUrl: string): Promise<RateLimitStores> {
  const config = { connectionString: databaseUrl, max: 4, idleTimeoutMillis: 30_000 };
  const stores = new Map<RateLimitName, SharedStore>();
  const make = (name: RateLimitName) => {
    const s = new SharedStore(config, `stint-${name}`);
    stores.set(name, s);
    return s;
  };
  make('api');
  await untilMigrated(databaseUrl);
  return {
    store: (name) => stores.get(name) ?? make(name),
    async close() {
      for (const s of stores.values()) await (s.pool as { end?: () => Promise<void> } | undefined)?.end?.().catch(() => undefined);
    },
  };
}

async function untilMigrated(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const r = await client.query<{ ok: boolean }>(`SELECT to_regprocedure('rate_limit.agg_increment(text, text, double precision, timestamptz)') IS NOT NULL AS ok`);
      if (r.rows[0]?.ok) return;
      if (Date.now() > deadline) throw new Error('the rate-limit store did not create its schema in PostgreSQL within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}
