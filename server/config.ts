import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(v: string): boolean {
  if (PROXY_NAMES.has(v)) return true;
  const [addr = '', bits, ...rest] = v.split('/');
  const family = isIP(addr);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Whose X-Forwarded-For to believe (the client address rate limits and logs use): `none` (the
 * default: the socket's peer is the client), a hop count, or a comma list of proxy addresses,
 * CIDRs and the names loopback, linklocal, uniquelocal. Never "everyone".
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (v === 'none') return false;
    if (/^\d{1,2}$/.test(v) && Number(v) >= 1) return Number(v);
    const list = v.split(',').map((s) => s.trim());
    const bad = list.filter((s) => !isProxyAddress(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `not a proxy address, CIDR, hop count or loopback/linklocal/uniquelocal: ${bad.join(', ')} (use none to trust no proxy)` });
      return z.NEVER;
    }
    return list;
  });
export type TrustProxy = z.output<typeof trustProxySchema>;

/** Server configuration from the environment, validated at boot: a bad value stops the process with a reason. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  /** Base URL clients reach this server at (used in fs-driver signed URLs); defaults to the listen address. */
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** A replica timeline reads go to (never a write); unset: they read DATABASE_URL. */
  DATABASE_READ_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  STINT_DATA_DIR: z.string().min(1).optional(),
  /** HMAC secret for access tokens and fs-driver URLs; generated and kept in the data dir when absent. */
  STINT_SECRET: z.string().min(32).optional(),
  BLOB_DRIVER: z.enum(['fs', 's3']).default('fs'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  PRESIGN_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Run the job workers inside the API process (embedded default) or only in `npm run worker`. */
  JOBS_IN_PROCESS: bool.default(true),
  TRUST_PROXY: trustProxySchema.default(false),
  /** Serve /metrics on this port of its own (off when unset; never on the API port). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Address the metrics listener binds (default: HOST). */
  METRICS_HOST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Env = z.infer<typeof envSchema>;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable means "not set" (as in `DATABASE_URL= npm run server`).
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid server configuration: ${reasons}`);
  }
  const cfg = parsed.data;
  if (cfg.BLOB_DRIVER === 's3' && !cfg.S3_BUCKET) throw new Error('invalid server configuration: S3_BUCKET is required with BLOB_DRIVER=s3');
  return cfg;
}

/** What createApp needs beyond its ports. */
export interface AppSettings {
  secret: string;
  presignSeconds: number;
  accessTokenSeconds: number;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  /** JSON body limit in bytes. */
  bodyLimitBytes: number;
  /** Express `trust proxy`: false (no proxy), a hop count or proxy addresses. */
  trustProxy: TrustProxy;
  /**
   * Where timeline activity is summed from: the 5-minute rollups (default; zones off their
   * boundaries still read the minutes) or always the raw minutes (the bench's before/after).
   */
  timelineActivity: 'rollups' | 'raw';
}

export function defaultSettings(secret: string, overrides: Partial<AppSettings> = {}): AppSettings {
  return {
    secret,
    presignSeconds: 600,
    accessTokenSeconds: 900,
    rateLimitPerMinute: 1200,
    loginRateLimitPerMinute: 30,
    bodyLimitBytes: 1024 * 1024,
    trustProxy: false,
    timelineActivity: 'rollups',
    ...overrides,
  };
}
