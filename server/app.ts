import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Store } from 'express-rate-limit';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppSettings } from './config';
import { requireAuth } from './http/auth-middleware';
import { HttpError } from './errors/http-error';
import { openApiDocument } from './http/openapi';
import { notFoundHandler, problemHandler, requireJson } from './http/problem';
import type { JobQueue } from './store/job-queue';
import { authRoutes } from './routes/auth.routes';
import { blobRoutes } from './routes/blobs.routes';
import { deviceRoutes } from './routes/devices.routes';
import { screenshotRoutes } from './routes/screenshots.routes';
import { syncRoutes } from './routes/sync.routes';
import { orgRoutes } from './routes/org.routes';
import { privacyRoutes } from './routes/privacy.routes';
import { readRoutes } from './routes/reads.routes';
import { updateRoutes } from './routes/updates.routes';
import type { ServiceContext } from './services/context';
import { httpDuration, queueDepth, registry } from './services/metrics';
import { RevocationCheck } from './auth/revocation-check';
import { AccessTokens } from './auth/tokens';
import type { BlobStore } from './store/blob/blob-store';
import { FsBlobStore } from './store/blob/fs-blob-store';
import type { Db } from './store/db';
import type { RateLimitStores } from './store/rate-limit-store';

export interface AppDeps {
  db: Db;
  /** A reader pool (a replica) for timeline reads; default: `db`. */
  readDb?: Db;
  blobs: BlobStore;
  jobs: JobQueue;
  settings: AppSettings;
  now?: () => Date;
  log?: Logger;
  /** Base URL clients reach this server at (the fs driver's URLs and full-image links point here). */
  publicUrl: () => string;
  /** Where the rate limits count (PostgreSQL, shared by every API process); default: this process's memory. */
  rateLimits?: RateLimitStores;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * Per verified identity (the API: many devices may share an address behind NAT), else per
 * client address: a junk or expired Authorization header must not buy a fresh budget, and
 * password sign-in always counts per address. Proxy headers are ignored unless TRUST_PROXY names
 * the proxy, so the header checks of express-rate-limit are off on purpose.
 */
function limiter(perMinute: number, now: () => Date, by: 'identity' | 'address', tokens: AccessTokens, store?: Store) {
  const byAddress = (req: Request) => `ip:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`;
  return rateLimit({
    ...(store ? { store } : {}),
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    validate: { xForwardedForHeader: false, forwardedHeader: false },
    keyGenerator: async (req) => {
      const bearer = by === 'identity' ? BEARER.exec(req.headers.authorization ?? '')?.[1] : undefined;
      if (!bearer) return byAddress(req);
      const who = await tokens.verify(bearer).catch(() => null);
      if (!who) return byAddress(req);
      return who.deviceId ? `device:${who.deviceId}` : `user:${who.userId}`;
    },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? now().getTime() + 60_000) - Date.now()) / 1000));
      next(new HttpError(429, 'Too Many Requests', `rate limit exceeded: retry in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) }));
    },
  });
}

/**
 * What a request log line keeps: no headers (bearer tokens, cookies) and no URL signatures
 * (fs-driver blob URLs and full-image links are bearer credentials for minutes).
 */
function logSafeRequest(req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) {
  return { id: req.id, method: req.method, url: req.url?.replace(/([?&]signature=)[^&]*/g, '$1[redacted]'), remoteAddress: req.remoteAddress };
}

/**
 * What a response log line keeps: the status only. Response headers carry bearer URLs (the
 * full-size redirect's Location is a signed store URL; with S3 a presigned one) and cookies.
 */
function logSafeResponse(res: { statusCode?: number }) {
  return { statusCode: res.statusCode };
}

/** Replies that carry one person's data (or a link to it): no browser or proxy may keep a copy. */
const PERSONAL_DATA = /^\/v1\/(timeline|team\/now|reports\/summary|audit|users\/[^/]+\/export|screenshots\/[^/]+(\/full)?)\/?$/;

const noStoreForPersonalData: RequestHandler = (req, res, next) => {
  if (PERSONAL_DATA.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
};

/** /metrics on a listener of its own (METRICS_PORT): never on the API port, which answers 404 for it. */
export function createMetricsApp(jobs: JobQueue): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    queueDepth.set({ queue: 'all' }, await jobs.depth().catch(() => -1));
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use((_req, res) => void res.status(404).type('text/plain').send('only /metrics here'));
  return app;
}

/** The Express app over its ports. Routes parse with the shared zod contracts and call services. */
export function createApp(deps: AppDeps): { app: Express; ctx: ServiceContext } {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? pino({ level: 'silent' });
  const tokens = new AccessTokens(deps.settings.secret, deps.settings.accessTokenSeconds, now);
  const revocations = new RevocationCheck(deps.db.pool, now);
  const ctx: ServiceContext = { db: deps.db, ...(deps.readDb ? { reads: deps.readDb } : {}), blobs: deps.blobs, jobs: deps.jobs, tokens, revocations, settings: deps.settings, now, log, publicUrl: deps.publicUrl };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.settings.trustProxy);
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: log,
      serializers: { req: logSafeRequest, res: logSafeResponse },
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  app.use((req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? (req.path.startsWith('/blobs/') ? '/blobs' : 'unmatched'), status: res.statusCode }));
    next();
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([deps.db.ping(), deps.blobs.ping()]);
    const [dbOk, blobOk] = checks.map((c) => c.status === 'fulfilled');
    res.status(dbOk && blobOk ? 200 : 503).json({ status: dbOk && blobOk ? 'ready' : 'not ready', database: dbOk, blobStore: blobOk });
  });
  app.use(noStoreForPersonalData);
  const openapi = openApiDocument();
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  if (deps.blobs instanceof FsBlobStore) app.use(blobRoutes(deps.blobs));
  app.use(updateRoutes(ctx));

  const apiLimit = limiter(deps.settings.rateLimitPerMinute, now, 'identity', tokens, deps.rateLimits?.store('api'));
  const loginLimit = limiter(deps.settings.loginRateLimitPerMinute, now, 'address', tokens, deps.rateLimits?.store('login'));
  app.use('/v1', apiLimit, requireJson, express.json({ limit: deps.settings.bodyLimitBytes, strict: true, type: 'application/json' }));
  const auth = requireAuth(tokens, revocations);
  app.use(authRoutes(ctx, loginLimit));
  app.use(deviceRoutes(ctx, auth));
  app.use(syncRoutes(ctx, auth));
  app.use(screenshotRoutes(ctx, auth));
  app.use(readRoutes(ctx, auth));
  app.use(orgRoutes(ctx, auth));
  app.use(privacyRoutes(ctx, auth));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return { app, ctx };
}

export interface Listening {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) and returns the URL and a stop that drains connections. */
export async function start(app: Express, opts: { port?: number; host?: string } = {}): Promise<Listening> {
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, server, stop: () => stop(server) };
}

export async function stop(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
