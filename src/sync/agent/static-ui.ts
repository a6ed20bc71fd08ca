import { randomBytes } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { rendererContentType } from '../../shared/renderer-content-types';

/** The built renderer the bridge serves from its own loopback origin. */
export interface StaticUi {
  /** The renderer build folder (vite build output); nothing outside it is ever served. */
  root: string;
  /** Extra origins images may come from (the server and its blob store's signed GET URLs), asked at each page load. */
  imgOrigins?: () => string[];
}

/**
 * No inline script, nothing framed, images only from here, data:/blob: and the blob store.
 * Styles: our stylesheet, plus the one-line <style> elements React Aria adds, which carry the
 * per-page nonce the page announces in <meta name="csp-nonce"> (no 'unsafe-inline').
 */
export function contentSecurityPolicy(imgOrigins: string[] = [], styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
    ["img-src 'self' data: blob:", ...httpOrigins(imgOrigins)].join(' '),
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Only http(s) origins reach the policy, each as its bare origin (a server's answer cannot add a directive). */
function httpOrigins(list: string[]): string[] {
  const out = new Set<string>();
  for (const item of list) {
    try {
      const u = new URL(item);
      if (u.protocol === 'http:' || u.protocol === 'https:') out.add(u.origin);
    } catch {
      // not a URL: left out
    }
  }
  return [...out];
}

export type StaticAnswer = { status: 200; file: string } | { status: 400 | 404; detail: string };

/**
 * Map a request path to a file inside the build, or say why not. Percent-decoding happens once,
 * then the path is resolved and must stay under the real root (symlinks included).
 */
export async function resolveStatic(root: string, rawPath: string): Promise<StaticAnswer> {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, detail: 'the path is not valid percent-encoding' };
  }
  if (path.includes('\0') || path.includes('\\')) return { status: 400, detail: 'the path holds a forbidden character' };
  if (path === '/' || path === '') path = '/index.html';
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return { status: 404, detail: 'the window is not built (run npm run build)' };
  const wanted = resolve(realRoot, `.${path}`);
  if (!wanted.startsWith(realRoot + sep)) return { status: 404, detail: 'no such file in the window build' };
  const real = await realpath(wanted).catch(() => null);
  if (!real || !real.startsWith(realRoot + sep) || !(await stat(real)).isFile()) return { status: 404, detail: 'no such file in the window build' };
  return { status: 200, file: real };
}

/** One built file as the window gets it: an HTML page with its fresh style nonce, and the headers every host sends. */
export async function readRendererFile(file: string, imgOrigins: string[]): Promise<{ body: Buffer; headers: Record<string, string> }> {
  let body = await readFile(file);
  const isHtml = extname(file) === '.html';
  const nonce = isHtml ? randomBytes(16).toString('base64') : undefined;
  if (nonce) body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`));
  return {
    body,
    headers: {
      'content-type': rendererContentType(extname(file)),
      'content-security-policy': contentSecurityPolicy(imgOrigins, nonce),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      // Hashed assets may be cached; the page itself is always fetched fresh.
      'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    },
  };
}

export async function sendStatic(res: ServerResponse, file: string, ui: StaticUi, headOnly: boolean): Promise<void> {
  const { body, headers } = await readRendererFile(file, ui.imgOrigins?.() ?? []);
  res.writeHead(200, { ...headers, 'content-length': body.length });
  res.end(headOnly ? undefined : body);
}
