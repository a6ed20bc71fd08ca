import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../src/shared/problem';
import { HttpError } from '../errors/http-error';

export function sendProblem(res: Response, p: Problem, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(p));
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** body-parser and friends throw errors carrying a `status` and a `type`. */
function clientError(err: unknown): { status: number; detail: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown; code?: unknown; severity?: unknown };
  // PostgreSQL data exceptions (class 22: a zone it does not know, a value out of range) are the
  // input's fault; the contracts should have caught them. PostgreSQL's own text is not repeated.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string') {
    return { status: 400, detail: 'invalid value: a field of the request is malformed or not in its allowed range' };
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status < 400 || status > 499) return null;
  const detail =
    e.type === 'entity.too.large' ? 'request body is too large' :
    e.type === 'entity.parse.failed' ? 'request body is not valid JSON' :
    e.type === 'encoding.unsupported' ? 'unsupported content encoding' :
    typeof e.message === 'string' ? e.message : 'bad request';
  return { status, detail };
}

/** Every error leaves as RFC 9457 problem+json; 5xx details stay in the log, not the reply. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const instance = `urn:stint:request:${String(req.id ?? '')}`;
  if (err instanceof HttpError) {
    sendProblem(
      res,
      {
        type: `urn:stint:problem:${err.status}`,
        title: err.title,
        status: err.status,
        ...(err.detail ? { detail: err.detail } : {}),
        instance,
        ...(err.errors ? { errors: err.errors } : {}),
      },
      err.headers,
    );
    return;
  }
  const client = clientError(err);
  if (client) {
    sendProblem(res, { type: `urn:stint:problem:${client.status}`, title: TITLES[client.status] ?? 'Bad Request', status: client.status, detail: client.detail, instance });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, { type: 'urn:stint:problem:500', title: 'Internal Server Error', status: 500, detail: 'unexpected server error', instance });
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'Not Found', `no route for ${req.method} ${req.path}`));
};

/** Writes with a body must send JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
    next(new HttpError(415, 'Unsupported Media Type', 'send the request body as application/json'));
    return;
  }
  next();
};
