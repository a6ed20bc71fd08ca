import { protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { readRendererFile } from '../sync/agent/static-ui';

/** Must run before app is ready: app:// is a standard, secure scheme (CSP 'self' then means the app's files). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
}

/** Serve app://stint/<path> from the built renderer folder only (anything else 404), every page with the strict CSP. */
export function serveRenderer(root: string, imgOrigins: () => string[]): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    try {
      // decodeURIComponent throws on bad percent-encoding: that, like a path outside the build, is not found.
      const file = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
      if (url.host !== 'stint' || !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
      const { body, headers } = await readRendererFile(file, imgOrigins());
      return new Response(new Uint8Array(body), { headers });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
