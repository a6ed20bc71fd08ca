import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, contentSecurityPolicy, isAppUrl, webPreferences, windowOptions } from './security';

describe('the window\'s security settings, as values', () => {
  it('isolates and sandboxes the renderer with no Node and web security on', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(prefs).toEqual({ ...webPreferences, preload: '/app/preload.cjs' });
  });

  it('opens hidden (the tray shows it) so no half-drawn window flashes', () => {
    expect(windowOptions('/p').show).toBe(false);
  });

  it('has a CSP that allows the app\'s own scripts only: no inline, no eval, no remote, styles by nonce', () => {
    const csp = contentSecurityPolicy([], 'n0nce');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'nonce-n0nce'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy(['https://s3.example'])).toMatch(/img-src [^;]*https:\/\/s3\.example/);
    // Image origins come from the server's answer: only bare http(s) origins reach the policy.
    const img = /img-src ([^;]*)/.exec(contentSecurityPolicy(['https://s3.example/bucket/key?x=1', "https://a.example; script-src 'unsafe-inline'", 'javascript:alert(1)', 'not a url', 'http://127.0.0.1:9000']))![1];
    expect(img).toBe("'self' data: blob: https://s3.example http://127.0.0.1:9000");
  });

  it('counts only app://stint pages as the app (not look-alike hosts, file: or http:)', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const url of ['app://stint.evil/index.html', 'app://evil/index.html', 'file:///index.html', 'http://127.0.0.1:5173/', 'https://stint.example/', 'not a url', ''])
      expect(isAppUrl(url), url).toBe(false);
  });
});
