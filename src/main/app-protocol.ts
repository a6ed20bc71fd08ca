import { protocol } from 'electron';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from './security';
import { rendererContentType } from '../shared/renderer-content-types';

/** Must run before app is ready: app:// is a standard, secure scheme (CSP 'self' then means the app's files). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
}

/** Serve app://stint/<path> from the built renderer folder only (anything else 404), every page with the strict CSP. */
export function serveRenderer(root: string, imgOrigins: () => string[]): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (url.host !== 'stint' || !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response('not found', { status: 404 });
    }
    const nonce = extname(file) === '.html' ? randomBytes(16).toString('base64') : undefined;
    if (nonce) body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`));
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': rendererContentType(extname(file)),
        'content-security-policy': contentSecurityPolicy(imgOrigins(), nonce),
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
