import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';

/** The base64-era table as the bench's baseline keeps it (bench/server/baseline-app.ts), plus a base64 text variant. */
export function legacySchema(table: string, image: 'bytea' | 'text'): string {
  return `CREATE TABLE ${table} (id uuid PRIMARY KEY, user_id uuid NOT NULL, taken_at timestamptz NOT NULL, content_type text NOT NULL, image ${image} NOT NULL)`;
}

export interface LegacyRow {
  id: string;
  userId: string;
  takenAt: Date;
  body: Buffer;
  sha256: string;
}

const FORMATS = ['png', 'jpeg', 'webp'] as const;

/** A small distinct image (a noisy tile of a random colour) in one of the three formats. */
export async function legacyImage(n: number): Promise<{ body: Buffer; contentType: string }> {
  const w = 24 + (n % 40);
  const raw = Buffer.alloc(w * 20 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + n * 31 + ((i * n) % 13)) & 255;
  const f = FORMATS[n % 3]!;
  const img = sharp(raw, { raw: { width: w, height: 20, channels: 3 } });
  const body = await (f === 'png' ? img.png() : f === 'jpeg' ? img.jpeg() : img.webp()).toBuffer();
  return { body, contentType: `image/${f}` };
}

/** Inserts `count` rows with random (v4) ids, so new rows land anywhere in the migration's id order. */
export async function insertLegacyRows(url: string, table: string, image: 'bytea' | 'text', users: string[], count: number, day: Date, from = 0): Promise<LegacyRow[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows: LegacyRow[] = [];
    for (let i = 0; i < count; i++) {
      const { body, contentType } = await legacyImage(from + i);
      const row = {
        id: randomUUID(),
        userId: users[(from + i) % users.length]!,
        takenAt: new Date(day.getTime() + (from + i) * 61_000),
        body,
        sha256: createHash('sha256').update(body).digest('hex'),
      };
      await c.query(`INSERT INTO ${table} (id, user_id, taken_at, content_type, image) VALUES ($1, $2, $3, $4, $5)`, [
        row.id,
        row.userId,
        row.takenAt,
        contentType,
        image === 'bytea' ? body : body.toString('base64'),
      ]);
      rows.push(row);
    }
    return rows;
  } finally {
    await c.end();
  }
}
