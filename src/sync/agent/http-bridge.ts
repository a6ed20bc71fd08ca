import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TrackerError, trackerApi, trackerMethods, type TrackerEvent, type TrackerHandlers, type TrackerMethod } from '../../shared/tracker-api';
import { PROBLEM_CONTENT_TYPE } from '../../shared/problem';
import { callHandler } from '../tracker';
import { resolveStatic, sendStatic, type StaticUi } from './static-ui';

export interface BridgeOptions {
  handlers: TrackerHandlers;
  subscribe: (listener: (e: TrackerEvent) => void) => () => void;
  token: string;
  /** Origins allowed to call (the UI's origin, e.g. http://localhost:5173). Requests without Origin (non-browser) pass. */
  allowedOrigins: string[];
  port?: number;
  log?: (line: string) => void;
  /** Serve the built window from this origin (its own origin is then allowed to call the API). */
  ui?: StaticUi;
}

export interface Bridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const statusOf: Record<TrackerError['code'], number> = {
  invalid_argument: 400,
  not_found: 404,
  failed_precondition: 409,
  permission_denied: 403,
  unavailable: 503,
  internal: 500,
};

/**
 * The loopback HTTP bridge: the same TrackerApi table as IPC, for a UI running in a browser.
 * Only 127.0.0.1; Host must name the loopback (no DNS rebinding), Origin must be allowed, and
 * every call carries the bearer token. POST /api/<method> with the JSON input; GET /api/events
 * streams TrackerEvents as server-sent events.
 */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const routes = new Map<string, TrackerMethod>(trackerMethods.map((m) => [`/api/${m}`, m]));
  const token = Buffer.from(opts.token);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const problem = (res: ServerResponse, status: number, title: string, detail?: string, errors?: unknown) => {
    res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }));
  };

  const authorized = (req: IncomingMessage, url: URL) => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('token') ?? ''));
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return problem(res, 400, 'Bad Request', 'the request target is not a valid URL');
    }
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return problem(res, 403, 'Forbidden', `host ${host} is not this loopback bridge`);
    const origin = req.headers.origin;
    const own = opts.ui ? [`http://127.0.0.1:${port}`, `http://localhost:${port}`] : [];
    if (origin !== undefined && !opts.allowedOrigins.includes(origin) && !own.includes(origin)) return problem(res, 403, 'Forbidden', `origin ${origin} is not allowed`);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST, GET',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
      });
      return res.end();
    }
    // The window's files are public build output; every API call below needs the token
    // (which the page reads from its URL fragment, so it never reaches a log or a Referer).
    if (opts.ui && !url.pathname.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const found = await resolveStatic(opts.ui.root, url.pathname);
      if (found.status !== 200) return problem(res, found.status, found.status === 400 ? 'Bad Request' : 'Not Found', found.detail);
      return sendStatic(res, found.file, opts.ui, req.method === 'HEAD');
    }
    if (!authorized(req, url)) return problem(res, 401, 'Unauthorized', 'missing or wrong bridge token');

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      const off = opts.subscribe((e) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
      req.on('close', () => {
        off();
        streams.delete(res);
      });
      return;
    }
    const method = routes.get(url.pathname);
    if (!method) return problem(res, 404, 'Not Found', `no TrackerApi method at ${url.pathname}`);
    if (req.method !== 'POST') return problem(res, 405, 'Method Not Allowed', 'use POST');

    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) return problem(res, 400, 'Bad Request', (err as Error).message);
      res.setHeader('connection', 'close');
      return problem(res, 413, 'Content Too Large', err.message);
    }
    let input: unknown;
    try {
      input = raw.length ? JSON.parse(raw) : {};
    } catch (err) {
      return problem(res, 400, 'Bad Request', `body is not JSON: ${(err as Error).message}`);
    }
    try {
      const output = await callHandler(opts.handlers, method, input);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(trackerApi[method].output.parse(output)));
    } catch (err) {
      if (err instanceof TrackerError) return problem(res, statusOf[err.code], err.code, err.message, err.issues);
      opts.log?.(`bridge ${method} failed: ${(err as Error).stack ?? err}`);
      return problem(res, 500, 'internal', (err as Error).message);
    }
  };
  // Whatever a request does, it never becomes an unhandled rejection that takes the agent down.
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log?.(`bridge request failed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) problem(res, 500, 'internal', 'the bridge failed on this request');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge(`body over ${MAX_BODY} bytes`));
        req.pause();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
