import pg from 'pg';

/** Which columns of the legacy table hold what (defaults: the bench's baseline schema). */
export interface LegacyColumns {
  id: string;
  userId: string;
  takenAt: string;
  contentType: string;
  image: string;
}

export const BASELINE_COLUMNS: LegacyColumns = { id: 'id', userId: 'user_id', takenAt: 'taken_at', contentType: 'content_type', image: 'image' };

export interface LegacyMeta {
  id: string;
  userId: string;
  takenAt: Date;
  contentType: string | null;
  size: number;
}

/** The image column as stored: raw bytes (bytea) or base64 text. */
export type ImageEncoding = 'bytea' | 'base64';

const quote = (name: string) => name.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.');

/**
 * Reads a legacy screenshot table (base64 or bytea images in rows) without ever loading it: the
 * scan is by keyset on the id column (`id > last ORDER BY id LIMIT n`, the primary key's index),
 * metadata first, then the images of a few rows at a time. Each page is its own statement, so no
 * transaction stays open on the legacy database while the migration runs for hours.
 */
export class LegacySource {
  private readonly sql: { table: string; c: Record<keyof LegacyColumns, string> };

  private constructor(
    private readonly client: pg.Client,
    readonly table: string,
    readonly columns: LegacyColumns,
    readonly encoding: ImageEncoding,
  ) {
    this.sql = {
      table: quote(table),
      c: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, quote(v)])) as Record<keyof LegacyColumns, string>,
    };
  }

  static async open(url: string, table: string, columns: LegacyColumns = BASELINE_COLUMNS): Promise<LegacySource> {
    const client = new pg.Client({ connectionString: url, application_name: 'stint-migrate-legacy' });
    await client.connect();
    try {
      const parts = table.split('.');
      const [schema, name] = parts.length === 2 ? parts : [null, parts[0]];
      const r = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_name = $1 AND (table_schema = $2 OR ($2::text IS NULL AND table_schema = ANY(current_schemas(false))))`,
        [name, schema],
      );
      if (r.rows.length === 0) throw new Error(`no table ${table} in the legacy database`);
      const types = new Map(r.rows.map((x) => [x.column_name, x.data_type]));
      const missing = Object.values(columns).filter((c) => !types.has(c));
      if (missing.length) throw new Error(`table ${table} has no column ${missing.join(', ')}`);
      const imageType = types.get(columns.image);
      const encoding: ImageEncoding | null = imageType === 'bytea' ? 'bytea' : imageType === 'text' || imageType === 'character varying' ? 'base64' : null;
      if (!encoding) throw new Error(`column ${columns.image} is ${imageType}: expected bytea or text (base64)`);
      return new LegacySource(client, table, columns, encoding);
    } catch (err) {
      await client.end();
      throw err;
    }
  }

  /** Row count and stored image bytes (octet_length reads the TOAST header, not the images). */
  async totals(after: string | null): Promise<{ rows: number; bytes: number }> {
    const { table, c } = this.sql;
    const r = await this.client.query<{ rows: string; bytes: string | null }>(
      `SELECT count(*) AS rows, sum(octet_length(${c.image})) AS bytes FROM ${table}${after === null ? '' : ` WHERE ${c.id} > $1`}`,
      after === null ? [] : [after],
    );
    return { rows: Number(r.rows[0]?.rows ?? 0), bytes: Number(r.rows[0]?.bytes ?? 0) };
  }

  /** The next page of rows after `after` (null: from the start), without their images. */
  async page(after: string | null, limit: number): Promise<LegacyMeta[]> {
    const { table, c } = this.sql;
    const r = await this.client.query<{ id: string | number; user_id: string; taken_at: Date; content_type: string | null; size: string | null }>(
      `SELECT ${c.id} AS id, ${c.userId}::text AS user_id, ${c.takenAt} AS taken_at, ${c.contentType} AS content_type,
              octet_length(${c.image}) AS size
         FROM ${table}${after === null ? '' : ` WHERE ${c.id} > $2`} ORDER BY ${c.id} LIMIT $1`,
      after === null ? [limit] : [limit, after],
    );
    return r.rows.map((x) => ({ id: String(x.id), userId: x.user_id, takenAt: x.taken_at, contentType: x.content_type, size: Number(x.size ?? 0) }));
  }

  /**
   * The images of the rows in (after, last] as stored: bytes for bytea, base64 text otherwise.
   * A chunk is a contiguous run of one page, so this is one range scan of the id index.
   */
  async images(after: string | null, last: string): Promise<Map<string, Buffer | string | null>> {
    const { table, c } = this.sql;
    const r = await this.client.query<{ id: string | number; image: Buffer | string | null }>(
      `SELECT ${c.id} AS id, ${c.image} AS image FROM ${table} WHERE ${c.id} <= $1${after === null ? '' : ` AND ${c.id} > $2`}`,
      after === null ? [last] : [last, after],
    );
    return new Map(r.rows.map((x) => [String(x.id), x.image]));
  }

  /** Deletes migrated rows (`--prune`); returns how many went. */
  async prune(ids: string[]): Promise<number> {
    const { table, c } = this.sql;
    const r = await this.client.query(`DELETE FROM ${table} WHERE ${c.id} = ANY($1)`, [ids]);
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
