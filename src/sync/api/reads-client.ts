import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import { parse } from './parse-answer';
import { userListResponseSchema } from '../../shared/http/org';
import {
  summaryResponseSchema,
  teamNowResponseSchema,
  timelineResponseSchema,
  type summaryQuerySchema,
  type TimelineResponse,
} from '../../shared/http/timeline';

/** The server's read endpoints a manager's view needs (timeline, team, reports, the full-image link). */
export interface ReadsClient {
  /** GET /v1/users: whom the signed-in user may see. */
  users(): Promise<z.infer<typeof userListResponseSchema>>;
  timeline(q: { userId: string; date: string; tz: string }): Promise<TimelineResponse>;
  teamNow(): Promise<z.infer<typeof teamNowResponseSchema>>;
  summary(q: z.input<typeof summaryQuerySchema>): Promise<z.infer<typeof summaryResponseSchema>>;
  /** The same report as CSV, with the file name the server gave it. */
  summaryCsv(q: z.input<typeof summaryQuerySchema>): Promise<{ csv: string; filename: string | null }>;
  /** Follows one audited full-image link (no bearer: the link is signed for its viewer) and returns where it redirects. */
  fullImageLocation(fullUrl: string): Promise<string>;
}

/** `authed` carries the session's bearer token; `raw` none (the full-image link is signed for its viewer). */
export function createReadsClient(authed: AxiosInstance, raw: AxiosInstance): ReadsClient {
  return {
  async users() {
    return parse(userListResponseSchema, (await authed.get('/v1/users')).data, 'GET /v1/users');
  },
  async timeline(q) {
    return parse(timelineResponseSchema, (await authed.get('/v1/timeline', { params: q })).data, 'GET /v1/timeline');
  },
  async teamNow() {
    return parse(teamNowResponseSchema, (await authed.get('/v1/team/now')).data, 'GET /v1/team/now');
  },
  async summary(q) {
    return parse(summaryResponseSchema, (await authed.get('/v1/reports/summary', { params: { ...q, format: 'json' } })).data, 'GET /v1/reports/summary');
  },
  async summaryCsv(q) {
    const res = await authed.get<string>('/v1/reports/summary', { params: { ...q, format: 'csv' }, responseType: 'text', headers: { Accept: 'text/csv' } });
    if (typeof res.data !== 'string' || !String(res.headers['content-type'] ?? '').startsWith('text/csv')) throw new Error('unexpected answer to GET /v1/reports/summary?format=csv: not CSV');
    const filename = /filename="([^"]+)"/.exec(String(res.headers['content-disposition'] ?? ''))?.[1] ?? null;
    return { csv: res.data, filename };
  },
  async fullImageLocation(fullUrl) {
    const res = await raw.get(fullUrl, { validateStatus: (s) => s === 302 || s === 303 || s === 307 });
    const location = res.headers['location'];
    if (typeof location !== 'string' || !location) throw new Error(`unexpected answer to GET ${new URL(fullUrl).pathname}: a redirect without a Location`);
    return new URL(location, fullUrl).toString();
  },
  };
}
