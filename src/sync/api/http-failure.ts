import { isAxiosError } from 'axios';
import { problemSchema } from '../../shared/problem';
import { parseRetryAfter } from './retry-after';

/** The device can no longer authenticate (device revoked, refresh token spent): a person must sign in again. */
export class SignInRequiredError extends Error {
  constructor(reason: string) {
    super(`sign in required: ${reason}`);
    this.name = 'SignInRequiredError';
  }
}

/** The server refused one item of a batch request (the request itself succeeded): the status and reason it gave. */
export class ItemRefusedError extends Error {
  constructor(readonly problem: { status: number; title: string; detail: string }) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'ItemRefusedError';
  }
}

/** What went wrong with one HTTP exchange, independent of axios. */
export interface HttpFailure {
  /** Response status, or null when no response arrived (refused, reset, timeout, DNS). */
  status: number | null;
  /** Node/axios error code for transport failures (ECONNREFUSED, ECONNRESET, ECONNABORTED, ...). */
  code: string | null;
  /** Milliseconds the server asked us to wait (Retry-After), null if it did not say. */
  retryAfterMs: number | null;
  /** The server's reason: problem+json detail/title, an S3 <Message>, or the transport message. */
  reason: string;
  /** Raw response text (first 2 KB) for callers that must recognise a specific answer. */
  body: string;
}

function bodyText(data: unknown): string {
  if (data == null) return '';
  if (typeof data === 'string') return data.slice(0, 2048);
  if (Buffer.isBuffer(data)) return data.subarray(0, 2048).toString('utf8');
  try {
    return JSON.stringify(data).slice(0, 2048);
  } catch {
    return '';
  }
}

function reasonOf(status: number, data: unknown, body: string): string {
  let parsed: unknown = data;
  if (typeof data === 'string' && data.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = data;
    }
  }
  const problem = problemSchema.safeParse(parsed);
  if (problem.success) {
    const p = problem.data;
    const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    return [`${status} ${p.title}`, p.detail, fields].filter(Boolean).join(': ');
  }
  const s3 = /<Code>([^<]*)<\/Code>(?:[\s\S]*?<Message>([^<]*)<\/Message>)?/.exec(body);
  if (s3) return `${status} ${s3[1]}${s3[2] ? `: ${s3[2]}` : ''}`;
  return `${status} ${body.slice(0, 200)}`.trim();
}

export function toHttpFailure(err: unknown, serverNow: number = Date.now()): HttpFailure {
  if (err instanceof ItemRefusedError) return { status: err.problem.status, code: null, retryAfterMs: null, reason: err.message, body: err.problem.detail };
  if (isAxiosError(err)) {
    const res = err.response;
    if (res) {
      const body = bodyText(res.data);
      const header = res.headers?.['retry-after'];
      return {
        status: res.status,
        code: err.code ?? null,
        retryAfterMs: parseRetryAfter(typeof header === 'string' ? header : null, serverNow),
        reason: reasonOf(res.status, res.data, body),
        body,
      };
    }
    const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? null;
    return { status: null, code, retryAfterMs: null, reason: `${code ?? 'network error'}: ${err.message}`, body: '' };
  }
  const e = err as NodeJS.ErrnoException;
  return {
    status: null,
    code: e?.code ?? null,
    retryAfterMs: null,
    reason: e instanceof Error ? e.message : String(err),
    body: '',
  };
}
