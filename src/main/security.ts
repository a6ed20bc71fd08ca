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

/**
 * The CSP is the agent window's (one home: src/sync/agent/static-ui.ts): script-src 'self', no
 * inline script, React Aria's style elements by per-page nonce. app-protocol.ts sets it on every page.
 */
export { contentSecurityPolicy } from '../sync/agent/static-ui';

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
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
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
