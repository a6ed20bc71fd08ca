import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { parse } from './parse-answer';
import { enrollResponseSchema, tokenResponseSchema, type EnrollResponse, type TokenResponse } from '../../shared/http/auth';
import { meResponseSchema, projectListResponseSchema, type MeResponse, type Project } from '../../shared/http/org';
import { fleetResponseSchema, type FleetResponse } from '../../shared/http/fleet';
import type { ReadsClient } from './reads-client';
import { createReadsClient } from './reads-client';
import {
  completeScreenshotResponseSchema,
  createScreenshotResponseSchema,
  type CreateScreenshotRequest,
  type CreateScreenshotResponse,
} from '../../shared/http/screenshots';
import {
  completeBatchResponseSchema,
  declareBatchResponseSchema,
  type CompleteBatchItem,
  type DeclareBatchItem,
} from '../../shared/http/screenshot-batch';
import { pushResponseSchema, type PushRequest, type PushResponse } from '../../shared/http/push';
import { AuthSession } from './auth-session';
import type { ClockOffset } from './clock-offset';
import type { CredentialStore } from './credential-store';
import { keepAliveAgents } from './http-agents';

declare module 'axios' {
  interface AxiosRequestConfig {
    stint?: { sentAt?: number; retried401?: boolean; token?: string };
  }
}

export interface ServerClientOptions {
  baseUrl: string;
  credentials: CredentialStore;
  clock: ClockOffset;
  /** Per-request timeout (also the socket idle timeout). */
  timeoutMs?: number;
  deviceNow?: () => number;
}

export interface ServerClient extends ReadsClient {
  readonly baseUrl: string;
  readonly session: AuthSession;
  /** Requests sent; `screenshotCalls`: of them, the screenshot declarations and completes (single or batch). */
  readonly stats: { requests: number; screenshotCalls: number };
  me(signal?: AbortSignal): Promise<MeResponse>;
  projects(signal?: AbortSignal): Promise<Project[]>;
  /** IT's fleet view (admins): the org's devices with what each reported. */
  fleet(signal?: AbortSignal): Promise<FleetResponse>;
  push(request: PushRequest, signal?: AbortSignal): Promise<PushResponse>;
  createScreenshot(request: CreateScreenshotRequest, signal?: AbortSignal): Promise<CreateScreenshotResponse>;
  completeScreenshot(id: string, signal?: AbortSignal): Promise<void>;
  /** Up to 100 declarations in one request; the answers come per item, in order. */
  declareScreenshots(requests: CreateScreenshotRequest[], signal?: AbortSignal): Promise<DeclareBatchItem[]>;
  /** Up to 100 completed PUTs in one request; the answers come per item, in order. */
  completeScreenshots(ids: string[], signal?: AbortSignal): Promise<CompleteBatchItem[]>;
  /** True when the server answers at all (any HTTP status): the online probe. */
  probe(): Promise<boolean>;
  enroll(input: { enrollmentToken: string; deviceId: string; name: string; platform: 'linux' | 'darwin' | 'win32' }): Promise<EnrollResponse>;
  signIn(input: { email: string; password: string; deviceId: string }): Promise<TokenResponse>;
  /** Ends a password session on the server: its refresh token family is revoked. */
  logout(refreshToken: string, timeoutMs: number): Promise<void>;
}

function inOrder<T>(items: T[], expected: number, what: string): T[] {
  if (items.length !== expected) throw new Error(`unexpected answer to ${what}: ${items.length} items for ${expected}`);
  return items;
}

export function createServerClient(options: ServerClientOptions): ServerClient {
  const deviceNow = options.deviceNow ?? Date.now;
  const stats = { requests: 0, screenshotCalls: 0 };
  const make = (): AxiosInstance => {
    const instance = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
      ...keepAliveAgents,
    });
    instance.interceptors.request.use((config) => {
      stats.requests++;
      config.stint = { ...config.stint, sentAt: deviceNow() };
      return config;
    });
    instance.interceptors.response.use(
      (res) => {
        options.clock.observe(res.headers['date'] as string | undefined, res.config.stint?.sentAt ?? 0, deviceNow());
        return res;
      },
      (err: unknown) => {
        if (axios.isAxiosError(err) && err.response && err.config) {
          options.clock.observe(err.response.headers['date'] as string | undefined, err.config.stint?.sentAt ?? 0, deviceNow());
        }
        return Promise.reject(err);
      },
    );
    return instance;
  };

  const raw = make();
  const session = new AuthSession(raw, options.credentials, deviceNow);
  const authed = make();
  authed.interceptors.request.use(async (config) => {
    const token = await session.accessToken();
    config.stint = { ...config.stint, token };
    config.headers.set('Authorization', `Bearer ${token}`);
    return config;
  });
  authed.interceptors.response.use(undefined, async (err: unknown) => {
    if (!axios.isAxiosError(err) || err.response?.status !== 401 || !err.config || err.config.stint?.retried401) throw err;
    // One refresh for everyone whose token was refused; then this request is replayed once.
    await session.refresh(err.config.stint?.token ?? null);
    const retry: AxiosRequestConfig = { ...err.config, stint: { ...err.config.stint, retried401: true } };
    return authed.request(retry);
  });

  return {
    baseUrl: options.baseUrl,
    session,
    stats,
    async me(signal) {
      return parse(meResponseSchema, (await authed.get('/v1/me', { signal })).data, 'GET /v1/me');
    },
    async projects(signal) {
      return parse(projectListResponseSchema, (await authed.get('/v1/projects', { signal })).data, 'GET /v1/projects').projects;
    },
    async fleet(signal) {
      return parse(fleetResponseSchema, (await authed.get('/v1/fleet', { signal })).data, 'GET /v1/fleet');
    },
    async push(request, signal) {
      return parse(pushResponseSchema, (await authed.post('/v1/sync/push', request, { signal })).data, 'POST /v1/sync/push');
    },
    async createScreenshot(request, signal) {
      stats.screenshotCalls++;
      return parse(createScreenshotResponseSchema, (await authed.post('/v1/screenshots', request, { signal })).data, 'POST /v1/screenshots');
    },
    async completeScreenshot(id, signal) {
      stats.screenshotCalls++;
      const res = await authed.post(`/v1/screenshots/${encodeURIComponent(id)}/complete`, undefined, { signal });
      parse(completeScreenshotResponseSchema, res.data, 'POST /v1/screenshots/:id/complete');
    },
    async declareScreenshots(requests, signal) {
      stats.screenshotCalls++;
      const res = await authed.post('/v1/screenshots/batch', { items: requests }, { signal });
      return inOrder(parse(declareBatchResponseSchema, res.data, 'POST /v1/screenshots/batch').items, requests.length, 'POST /v1/screenshots/batch');
    },
    async completeScreenshots(ids, signal) {
      stats.screenshotCalls++;
      const res = await authed.post('/v1/screenshots/batch/complete', { ids }, { signal });
      return inOrder(parse(completeBatchResponseSchema, res.data, 'POST /v1/screenshots/batch/complete').items, ids.length, 'POST /v1/screenshots/batch/complete');
    },
    ...createReadsClient(authed, raw),
    async probe() {
      try {
        await raw.get('/healthz', { validateStatus: () => true, timeout: 5_000 });
        return true;
      } catch {
        return false;
      }
    },
    async enroll(input) {
      const res = await raw.post('/v1/devices/enroll', input);
      return parse(enrollResponseSchema, res.data, 'POST /v1/devices/enroll');
    },
    async signIn(input) {
      const res = await raw.post('/v1/auth/login', { email: input.email, password: input.password });
      return parse(tokenResponseSchema, res.data, 'POST /v1/auth/login');
    },
    async logout(refreshToken, timeoutMs) {
      await raw.post('/v1/auth/logout', { refreshToken }, { timeout: timeoutMs });
    },
  };
}
