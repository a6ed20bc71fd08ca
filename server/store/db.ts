import pg from 'pg';

export type Queryable = Pick<pg.PoolClient, 'query'>;
export type Tx = pg.PoolClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The role request queries run as: row-level security applies to it (the owner bypasses it). */
export const APP_ROLE = 'stint_app';

/**
 * PostgreSQL access. Every request runs in one transaction that is either scoped to an org
 * (`inOrg`: the connection switches to the RLS-bound role and sets `stint.org_id`, so a query
 * that forgets its org filter still sees only that org) or a system transaction for the few
 * cross-org lookups (sign-in by email, token hashes) and jobs.
 */
export class Db {
  readonly pool: pg.Pool;

  constructor(url: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => undefined); // an idle client lost its server: the next checkout reconnects
  }

  async inOrg<T>(orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!UUID.test(orgId)) throw new Error('org id must be a uuid');
    return this.run(
      `BEGIN; SELECT set_config('role', '${APP_ROLE}', true), set_config('stint.org_id', '${orgId}', true)`,
      fn,
    );
  }

  async system<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run('BEGIN', fn);
  }

  private async run<T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
