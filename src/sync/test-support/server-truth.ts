import pg from 'pg';

export interface ShotTruth {
  count: number;
  sha256: string;
  takenAt: Date;
  state: string;
  objectKey: string;
}

export interface ServerTruth {
  /** Screenshot id → how many rows hold it, and their sha256 (a primary key makes >1 impossible; we still count). */
  shots: Map<string, ShotTruth>;
  /** Applied op id → how many rows (rejected ops are remembered by the server too, and left out here). */
  ops: Map<string, number>;
}

/** What the server's database holds for one device, read straight from PostgreSQL (RLS bypassed as owner). */
export async function serverTruth(databaseUrl: string, deviceId: string): Promise<ServerTruth> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const shots = new Map<string, ShotTruth>();
    const s = await client.query<{ id: string; n: string; sha256: string; taken_at: Date; state: string; object_key: string }>(
      `SELECT id, count(*) OVER (PARTITION BY id) AS n, sha256, taken_at, state, object_key FROM screenshots WHERE device_id = $1`,
      [deviceId],
    );
    for (const r of s.rows) shots.set(r.id, { count: Number(r.n), sha256: r.sha256, takenAt: r.taken_at, state: r.state, objectKey: r.object_key });
    const ops = new Map<string, number>();
    const o = await client.query<{ id: string; n: string }>(
      `SELECT id, count(*) AS n FROM sync_ops WHERE device_id = $1 AND result->>'outcome' = 'applied' GROUP BY id`,
      [deviceId],
    );
    for (const r of o.rows) ops.set(r.id, Number(r.n));
    return { shots, ops };
  } finally {
    await client.end();
  }
}
