import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';

/**
 * The window's security settings as plain values (test/electron-security.test.ts reads them;
 * docs/security.md maps each Electron checklist item here).
 */
export const webPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies WebPreferences;

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return { width: 1100, height: 760, minWidth: 720, minHeight: 520, show: false, title: 'Stint', webPreferences: { ...webPreferences, preload } };
}

/** The app's own files only: no remote script, no inline script, no eval, images from data: (thumbnails) and the server's signed URLs. */
export function contentSecurityPolicy(imgOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: ${imgOrigins.join(' ')}`.trim(),
    "font-src 'self'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The renderer is loaded from this scheme and host only (protocol.handle in main.ts). */
export const APP_ORIGIN = 'app://stint';

/** Whether a URL is one of the app's own pages (the only frames allowed to call the tracker). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Every permission (camera, notifications from the page, geolocation…) is refused, and every check says no. */
export function hardenSession(session: Session, imgOrigins: () => readonly string[]): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (isAppUrl(details.url)) headers['Content-Security-Policy'] = [contentSecurityPolicy(imgOrigins())];
    callback({ responseHeaders: headers });
  });
}

/** No navigation away from the app, no new windows, no webviews (links open in the browser). */
export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}
