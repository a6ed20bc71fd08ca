import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { api, login } from './test-support/api';
import { startApiProcesses, type ApiProcesses } from './test-support/api-processes';

const s3 = inject('s3');
const pgUrl = inject('postgresUrl');
const LIMIT = 40;

describe.skipIf(!s3 || !pgUrl)('the API rate limit, counted in PostgreSQL by every API process', () => {
  let procs: ApiProcesses;

  beforeAll(async () => {
    if (!s3 || !pgUrl) return;
    procs = await startApiProcesses({ pgUrl, s3, apis: 2, worker: false, env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => {
    await procs?.stop();
  });

  it('holds across two API processes: one token gets at most the limit from both together, then 429 with Retry-After', async () => {
    const [a, b] = procs.urls as [string, string];
    const token = (await login(a, procs.seed.admin.email, procs.seed.admin.password)).accessToken;
    // Three times the limit, alternating between the processes, many at once.
    const replies = await Promise.all(Array.from({ length: LIMIT * 3 }, (_, i) => api(i % 2 ? b : a, token).get('/v1/me')));
    const ok = replies.filter((r) => r.status === 200);
    const limited = replies.filter((r) => r.status === 429);
    expect(ok.length + limited.length).toBe(replies.length);
    expect(ok.length).toBeLessThanOrEqual(LIMIT);
    // Each process alone would have let LIMIT through: both did some of the work.
    expect(ok.length).toBeGreaterThan(LIMIT / 2);
    const refused = limited[0]!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('rate limit exceeded');
    // Another identity has a budget of its own.
    const other = (await login(b, procs.seed.manager.email, procs.seed.manager.password)).accessToken;
    expect((await api(b, other).get('/v1/me')).status).toBe(200);
  });

  it('does not throttle a device draining a backlog in batches: 100 screenshots cost two requests', async () => {
    const [a, b] = procs.urls as [string, string];
    const token = (await login(b, procs.seed.employee.email, procs.seed.employee.password)).accessToken;
    const deviceId = uuidv7();
    const declared: string[] = [];
    const remaining: number[] = [];
    const left = (h: Headers) => remaining.push(Number(/r=(\d+)/.exec(h.get('ratelimit') ?? '')?.[1]));
    // 10 batches of 100 declarations (1,000 screenshots, a long offline spell's worth) and their completes: 20 requests.
    for (let batch = 0; batch < 10; batch++) {
      const items = Array.from({ length: 100 }, () => ({
        id: uuidv7(),
        deviceId,
        entryId: null,
        takenAt: new Date().toISOString(),
        displayId: 'display-0',
        width: 64,
        height: 40,
        bytes: 1000,
        sha256: 'a'.repeat(64),
        md5: 'AAAAAAAAAAAAAAAAAAAAAA==',
        contentType: 'image/webp',
      }));
      const r = await api(batch % 2 ? a : b, token).post<{ items: Array<{ status: string }> }>('/v1/screenshots/batch', { items });
      expect(r.status).toBe(200);
      left(r.headers);
      expect(r.body.items.every((x) => x.status === 'upload')).toBe(true);
      declared.push(...items.map((i) => i.id));
      const c = await api(batch % 2 ? b : a, token).post('/v1/screenshots/batch/complete', { ids: items.map((i) => i.id) });
      expect(c.status).toBe(200);
      left(c.headers);
    }
    expect(declared).toHaveLength(1000);
    // The shared counter moved by exactly the 20 requests: 2 per 100 screenshots. At the default
    // 1,200 a minute a device may so move 1,000 screenshots a second, above the S3 ceiling measured
    // in docs/performance.md (about 320 a second), while a token sending more requests gets 429.
    expect(remaining[0]! - remaining.at(-1)!).toBe(19);
    expect(remaining.at(-1)).toBe(LIMIT - 20);
  });
});
