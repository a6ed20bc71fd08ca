import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { z } from 'zod';
import { tokenResponseSchema } from '../../src/shared/http/auth';
import { meResponseSchema, projectListResponseSchema } from '../../src/shared/http/org';
import { MAX_OPS_PER_PUSH, pushResponseSchema, type SyncOp } from '../../src/shared/http/push';
import { completeBatchResponseSchema, declareBatchResponseSchema, MAX_BATCH_ITEMS } from '../../src/shared/http/screenshot-batch';
import type { CreateScreenshotRequest } from '../../src/shared/http/screenshots';
import { timelineResponseSchema } from '../../src/shared/http/timeline';

/**
 * One demo member's way into the server, over HTTP as a device goes: password sign-in, ops through
 * POST /v1/sync/push, screenshots declared in batches, PUT to their presigned URLs and completed in
 * batches. Every answer is parsed with the shared contract; a refusal stops with the server's reason.
 */
export class MemberClient {
  private token = '';
  private renewAt = 0;
  userId = '';
  name = '';

  constructor(
    private readonly base: string,
    private readonly login: { email: string; password: string },
    private readonly signal: AbortSignal,
  ) {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${await this.accessToken()}`;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: this.signal });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return schema.parse(JSON.parse(text));
  }

  /** Signs in again a minute before the access token would expire (a long history outlives one). */
  private async accessToken(): Promise<string> {
    if (Date.now() < this.renewAt) return this.token;
    const t = await this.call('POST', '/v1/auth/login', tokenResponseSchema, { email: this.login.email, password: this.login.password }, false);
    this.token = t.accessToken;
    this.renewAt = Date.now() + Math.max(10, t.expiresIn - 60) * 1000;
    this.userId = t.user.id;
    this.name = t.user.name;
    return this.token;
  }

  async signIn(): Promise<void> {
    await this.accessToken();
  }

  me() {
    return this.call('GET', '/v1/me', meResponseSchema);
  }

  projects() {
    return this.call('GET', '/v1/projects', projectListResponseSchema);
  }

  async push(deviceId: string, ops: readonly SyncOp[]): Promise<void> {
    for (let i = 0; i < ops.length; i += MAX_OPS_PER_PUSH) {
      const batch = ops.slice(i, i + MAX_OPS_PER_PUSH);
      const out = await this.call('POST', '/v1/sync/push', pushResponseSchema, { deviceId, sentAt: new Date().toISOString(), ops: batch });
      const refused = out.results.find((r) => r.outcome === 'rejected');
      if (refused) throw new Error(`push refused op ${refused.id}: ${refused.status} ${refused.reason}`);
    }
  }

  /**
   * Declares, PUTs and completes the images (up to 100 per request, `puts` PUTs at a time).
   * Images the server already holds answer `stored` and are not sent again.
   */
  async sendScreenshots(images: ReadonlyArray<{ declaration: Omit<CreateScreenshotRequest, 'bytes' | 'sha256' | 'md5'>; bytes: Buffer }>, puts: number): Promise<number> {
    let sent = 0;
    const limit = pLimit(puts);
    for (let i = 0; i < images.length; i += MAX_BATCH_ITEMS) {
      const batch = images.slice(i, i + MAX_BATCH_ITEMS);
      const items = batch.map(({ declaration, bytes }) => ({
        ...declaration,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('base64'),
      }));
      const declared = await this.call('POST', '/v1/screenshots/batch', declareBatchResponseSchema, { items });
      const uploaded = await Promise.all(
        declared.items.map((d, k) =>
          limit(async () => {
            if (d.status === 'refused') throw new Error(`screenshot ${d.id} refused: ${d.problem.status} ${d.problem.detail}`);
            if (d.status === 'stored') return null;
            const res = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: new Uint8Array(batch[k]!.bytes), signal: this.signal });
            if (!res.ok) throw new Error(`PUT screenshot ${d.id}: ${res.status} ${(await res.text()).slice(0, 200)}`);
            return d.id;
          }),
        ),
      );
      const ids = uploaded.filter((id): id is string => id !== null);
      if (!ids.length) continue;
      const done = await this.call('POST', '/v1/screenshots/batch/complete', completeBatchResponseSchema, { ids });
      for (const r of done.items) if (r.status === 'refused') throw new Error(`complete refused ${r.id}: ${r.problem.status} ${r.problem.detail}`);
      sent += ids.length;
    }
    return sent;
  }

  /** Ids of this member's screenshots the timeline shows for a UTC day (verified ones only). */
  async shownScreenshots(date: string): Promise<Set<string>> {
    const t = await this.call('GET', `/v1/timeline?userId=${this.userId}&date=${date}&tz=UTC`, timelineResponseSchema);
    return new Set(t.slots.flatMap((s) => s.screenshots.map((x) => x.id)));
  }
}
