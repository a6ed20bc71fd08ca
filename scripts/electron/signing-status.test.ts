import { describe, expect, it } from 'vitest';
import { signingBanner, signingStatus } from './signing-status';

describe('what npm run package says about signing', () => {
  it('with no signing variables: every platform UNSIGNED, loudly, without naming any value', () => {
    const banner = signingBanner((['win', 'mac', 'linux'] as const).map((p) => signingStatus(p, {})));
    expect(banner).toContain('UNSIGNED BUILD');
    expect(banner).toMatch(/win: no CSC_LINK/);
    expect(banner).toMatch(/mac: no CSC_LINK or CSC_NAME/);
    expect(banner).toMatch(/linux: deb, rpm and AppImage carry no signature/);
  });

  it('Windows signs from CSC_LINK or WIN_CSC_LINK, macOS says whether it will be notarized; no secret is printed', () => {
    const env = { CSC_LINK: '/secure/cert.p12', CSC_KEY_PASSWORD: 's3cret', APPLE_ID: 'it@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh', APPLE_TEAM_ID: 'TEAM123' };
    const win = signingStatus('win', env);
    const mac = signingStatus('mac', env);
    expect(win).toMatchObject({ signed: true });
    expect(win.detail).toContain('CSC_KEY_PASSWORD');
    expect(mac.signed).toBe(true);
    expect(mac.detail).toMatch(/notarized with an Apple ID/);
    expect(mac.detail).toMatch(/pkg is NOT signed/);
    const banner = signingBanner([win, mac]);
    expect(banner).not.toContain('UNSIGNED');
    for (const secret of Object.values(env)) expect(banner).not.toContain(secret);
  });

  it('a macOS identity without notarization credentials is signed but says NOT notarized', () => {
    expect(signingStatus('mac', { CSC_NAME: 'Developer ID Application: Example' }).detail).toMatch(/NOT notarized/);
  });
});
