// The batched ingest phase of `npm run bench:server`: each simulated device declares BATCH
// screenshots in one request, PUTs them to S3 three at a time (as the engine does) and confirms
// them in one request. Concurrency is devices at once.
import { v7 as uuidv7 } from 'uuid';
import { percentiles, runLoad, timed } from './load';

export const BATCH = 20;
const PUTS_PER_DEVICE = 3;

type P = ReturnType<typeof percentiles>;
export interface BatchedIngestRow {
  concurrency: number;
  count: number;
  batch: number;
  perSecond: number;
  declareMs: P;
  completeMs: P;
  putMs: P;
  serverCpuMsPerShot: number;
  dbCpuMsPerShot: number;
}

interface Upload {
  status: 'upload';
  upload: { url: string; headers: Record<string, string> };
}

export async function batchedIngest(o: {
  stintUrl: string;
  token: string;
  image: Buffer;
  sha256: string;
  md5: string;
  levels: number[];
  count: (concurrency: number) => number;
  cpu: () => Promise<{ api: number; db: number }>;
  marginal: (c0: { api: number; db: number }, c1: { api: number; db: number }, wallMs: number, n: number) => { api: number; db: number };
}): Promise<BatchedIngestRow[]> {
  const rows: BatchedIngestRow[] = [];
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${o.stintUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  for (const c of o.levels) {
    const batches = Math.max(c, Math.ceil(o.count(c) / BATCH));
    const declare: number[] = [];
    const complete: number[] = [];
    const put: number[] = [];
    const cpu0 = await o.cpu();
    const { wallMs } = await runLoad(batches, c, async () => {
      const deviceId = uuidv7();
      const items = Array.from({ length: BATCH }, () => ({ id: uuidv7(), deviceId, entryId: null, takenAt: new Date().toISOString(), displayId: 'd0', width: 1920, height: 1080, bytes: o.image.length, sha256: o.sha256, md5: o.md5, contentType: 'image/webp' }));
      const declared = await timed(declare, () => post<{ items: Upload[] }>('/v1/screenshots/batch', { items }));
      let next = 0;
      await Promise.all(
        Array.from({ length: PUTS_PER_DEVICE }, async () => {
          while (next < declared.items.length) {
            const { upload } = declared.items[next++] as Upload;
            const { ['Content-Length']: _len, ...headers } = upload.headers;
            const res = await timed(put, () => fetch(upload.url, { method: 'PUT', headers, body: o.image }));
            if (res.status !== 200) throw new Error(`PUT ${res.status}`);
          }
        }),
      );
      await timed(complete, () => post('/v1/screenshots/batch/complete', { ids: items.map((i) => i.id) }));
    });
    const n = batches * BATCH;
    const m = o.marginal(cpu0, await o.cpu(), wallMs, n);
    rows.push({ concurrency: c, count: n, batch: BATCH, perSecond: Math.round((n / wallMs) * 1000 * 10) / 10, declareMs: percentiles(declare), completeMs: percentiles(complete), putMs: percentiles(put), serverCpuMsPerShot: m.api, dbCpuMsPerShot: m.db });
  }
  return rows;
}
