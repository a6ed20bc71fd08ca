import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Must run before app is ready: app:// is a standard, secure scheme (CSP 'self' then means the app's files). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

/** Serve app://stint/<path> from the built renderer folder only; anything outside it is 404. */
export function serveRenderer(root: string): void {
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (url.host !== 'stint' || !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
}
