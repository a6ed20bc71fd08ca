/** Content types of the renderer build's files, for both places that serve it (the agent's bridge, Electron's app://). */
const byExtension: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** `extension` as path.extname gives it ('.js'); anything unknown is served as bytes, never guessed. */
export function rendererContentType(extension: string): string {
  return byExtension[extension] ?? 'application/octet-stream';
}
