import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../src/sync/test-support/seeded-random';

/**
 * A reverse proxy on 127.0.0.1 between a client and an upstream (the API server or S3) that
 * injects faults by a programmable, seeded plan, for chaos tests of the sync engine.
 *
 * Use its `url` as the client's base URL. Host: by default the client's Host header is forwarded
 * unchanged, so a SigV4 URL presigned for the proxy's address (set the server's public S3
 * endpoint to `proxy.url`) verifies at the upstream S3. With `host: 'upstream'` the Host header is
 * rewritten to the upstream's host:port instead: use that when the URL was presigned for the
 * upstream and only its origin was swapped for the proxy's.
 *
 * Deterministic under `seed` as long as requests reach it in a deterministic order.
 *
 *   const api = await startFaultProxy({ upstream: server.url, seed: 7, rules: [
 *     { method: 'POST', path: '/v1/sync/push', probability: 0.3, action: { kind: 'drop-response' } },
 *     { path: /^\/v1\/screenshots/, times: 2, action: { kind: 'respond', status: 429, retryAfter: 1 } },
 *   ] });
 *   const s3 = await startFaultProxy({ upstream: inject('s3')!.endpoint }); // server presigns for s3.url
 *   ... run the engine against api.url ...; expect(api.counts['drop-response']).toBeGreaterThan(0);
 */
export type FaultAction =
  /** Forward as is. */
  | { kind: 'pass' }
  /** Answer `status` (5xx, or 429 with `retryAfter`) without forwarding. */
  | { kind: 'respond'; status: number; retryAfter?: number | Date; body?: string }
  /** Forward the first `afterBytes` of the request body (default: half), then reset both connections. */
  | { kind: 'reset-request'; afterBytes?: number }
  /** Forward; relay status, headers and `afterBytes` of the response body (default: half, never all), then reset. */
  | { kind: 'reset-response'; afterBytes?: number }
  /** Hold the request `ms`, then forward it or reset the connection. */
  | { kind: 'stall'; ms: number; then: 'forward' | 'drop' }
  /** Forward and let the upstream act, then reset the connection: the client never hears the answer. */
  | { kind: 'drop-response' };

export type FaultKind = FaultAction['kind'];

export interface RequestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FaultRule {
  /** Methods this rule applies to (any when omitted). */
  method?: string | string[];
  /** Exact path, or a pattern tested against the path (any when omitted). */
  path?: string | RegExp;
  when?: (req: RequestInfo) => boolean;
  /** Chance, 0..1, that a matching request gets the action (default 1). */
  probability?: number;
  /** The rule stops applying after this many uses. */
  times?: number;
  action: FaultAction;
}

export interface FaultEvent extends RequestInfo {
  seq: number;
  kind: FaultKind;
}

export interface FaultProxyOptions {
  /** Origin of the upstream, e.g. http://127.0.0.1:4000 */
  upstream: string;
  rules?: FaultRule[];
  seed?: number;
  host?: 'preserve' | 'upstream';
}

export interface FaultProxy {
  url: string;
  port: number;
  /** What it did, per fault kind. */
  counts: Record<FaultKind, number>;
  /** Every request it saw, in arrival order. */
  events: FaultEvent[];
  setRules(rules: FaultRule[]): void;
  /** Down: refuse connections (ECONNREFUSED) and cut open ones, like an outage. Up: listen again, same port. */
  setDown(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

const KINDS: FaultKind[] = ['pass', 'respond', 'reset-request', 'reset-response', 'stall', 'drop-response'];
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function validateRule(rule: FaultRule): void {
  const p = rule.probability ?? 1;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`fault rule probability must be within 0..1, got ${p}`);
  if (!KINDS.includes(rule.action.kind)) throw new TypeError(`unknown fault kind "${rule.action.kind}"`);
  if (rule.action.kind === 'respond' && !(rule.action.status >= 100 && rule.action.status <= 599)) {
    throw new RangeError(`respond status must be an HTTP status, got ${rule.action.status}`);
  }
  if (rule.action.kind === 'stall' && !(rule.action.ms >= 0)) throw new RangeError(`stall ms must be >= 0, got ${rule.action.ms}`);
}

function matches(rule: FaultRule, req: RequestInfo): boolean {
  if (rule.times !== undefined && rule.times <= 0) return false;
  if (rule.method !== undefined) {
    const methods = (Array.isArray(rule.method) ? rule.method : [rule.method]).map((m) => m.toUpperCase());
    if (!methods.includes(req.method)) return false;
  }
  if (typeof rule.path === 'string' && rule.path !== req.path) return false;
  if (rule.path instanceof RegExp && !rule.path.test(req.path)) return false;
  return rule.when ? rule.when(req) : true;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new TypeError(`upstream must be an http(s) origin, got ${options.upstream}`);
  }
  const isHttps = upstream.protocol === 'https:';
  const agent = isHttps ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const random = seededRandom(options.seed ?? 1);
  let rules = (options.rules ?? []).map((r) => ({ ...r }));
  rules.forEach(validateRule);
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const events: FaultEvent[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  function choose(req: RequestInfo): FaultAction {
    for (const rule of rules) {
      if (!matches(rule, req)) continue;
      if (random() >= (rule.probability ?? 1)) continue;
      if (rule.times !== undefined) rule.times -= 1;
      return rule.action;
    }
    return { kind: 'pass' };
  }

  function forward(req: IncomingMessage, res: ServerResponse, onResponse: (up: IncomingMessage) => void, onError: () => void) {
    const headers = endToEnd(req.headers);
    if (options.host === 'upstream') headers.host = upstream.host;
    const send = isHttps ? httpsRequest : httpRequest;
    const out = send(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      onResponse,
    );
    out.on('error', onError);
    // A client that gives up aborts the upstream request too, as it would without the proxy.
    res.once('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    return out;
  }

  function reset(res: ServerResponse): void {
    const socket = res.socket;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  }

  function relay(from: IncomingMessage, res: ServerResponse): void {
    res.writeHead(from.statusCode ?? 502, endToEnd(from.headers));
    from.pipe(res);
  }

  const badGateway = (res: ServerResponse) => () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('fault proxy: upstream unreachable');
    else reset(res);
  };

  function collect(from: IncomingMessage, done: (body: Buffer) => void): void {
    const chunks: Buffer[] = [];
    from.on('data', (c: Buffer) => chunks.push(c));
    from.on('end', () => done(Buffer.concat(chunks)));
    from.on('error', () => done(Buffer.concat(chunks)));
  }

  function apply(action: FaultAction, req: IncomingMessage, res: ServerResponse): void {
    switch (action.kind) {
      case 'pass':
        return void req.pipe(forward(req, res, (up) => relay(up, res), badGateway(res)));
      case 'respond': {
        const headers: Record<string, string> = { 'content-type': 'text/plain', connection: 'close' };
        if (action.retryAfter instanceof Date) headers['retry-after'] = action.retryAfter.toUTCString();
        else if (action.retryAfter !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(action.retryAfter)));
        return void res.writeHead(action.status, headers).end(action.body ?? `fault proxy: injected ${action.status}`);
      }
      case 'reset-request': {
        const declared = Number(req.headers['content-length'] ?? NaN);
        const limit = Math.max(1, action.afterBytes ?? (Number.isFinite(declared) ? Math.floor(declared / 2) : 1));
        const out = forward(req, res, () => undefined, () => undefined);
        let sent = 0;
        let cutting = false;
        // Cut only once the forwarded part left for the upstream, so it really sees a partial request.
        const cutAfter = (chunk: Buffer) => {
          cutting = true;
          req.pause();
          out.write(chunk, () => {
            out.destroy();
            reset(res);
          });
        };
        req.on('data', (chunk: Buffer) => {
          if (cutting) return;
          if (sent + chunk.length < limit) {
            sent += chunk.length;
            out.write(chunk);
          } else cutAfter(chunk.subarray(0, limit - sent));
        });
        req.on('end', () => {
          if (!cutting) cutAfter(Buffer.alloc(0));
        });
        return;
      }
      case 'reset-response':
        return void req.pipe(
          forward(
            req,
            res,
            (up) =>
              collect(up, (body) => {
                // A response without a body is whole once its head is out: cut before the head then.
                if (body.length === 0) return reset(res);
                const limit = Math.min(action.afterBytes ?? Math.floor(body.length / 2), Math.max(0, body.length - 1));
                res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
                res.flushHeaders();
                res.write(body.subarray(0, limit), () => reset(res));
              }),
            badGateway(res),
          ),
        );
      case 'stall': {
        req.pause();
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (action.then === 'drop') reset(res);
          else apply({ kind: 'pass' }, req, res);
        }, action.ms);
        timers.add(timer);
        return;
      }
      case 'drop-response':
        return void req.pipe(forward(req, res, (up) => collect(up, () => reset(res)), badGateway(res)));
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const info: RequestInfo = { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, headers: req.headers };
    const action = choose(info);
    counts[action.kind] += 1;
    events.push({ ...info, seq: ++seq, kind: action.kind });
    apply(action, req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    events,
    setRules(next) {
      next.forEach(validateRule);
      rules = next.map((r) => ({ ...r }));
    },
    async setDown(down) {
      if (down) await close();
      else if (!server.listening) await listen(port);
    },
    async stop() {
      await close();
      agent.destroy();
    },
  };
}
