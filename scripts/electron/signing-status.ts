/**
 * What `npm run package` can sign and notarize with the environment it got (electron-builder
 * reads the same variables). Never prints a value, only which variables are set.
 */
export type PackagePlatform = 'win' | 'mac' | 'linux';

export interface SigningStatus {
  platform: PackagePlatform;
  signed: boolean;
  /** In words: which identity signs, or what is missing. */
  detail: string;
}

const set = (env: NodeJS.ProcessEnv, name: string) => typeof env[name] === 'string' && env[name] !== '';

export function signingStatus(platform: PackagePlatform, env: NodeJS.ProcessEnv): SigningStatus {
  if (platform === 'win') {
    if (set(env, 'WIN_CSC_LINK') || set(env, 'CSC_LINK')) {
      const link = set(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : 'CSC_LINK';
      const pass = set(env, 'WIN_CSC_KEY_PASSWORD') ? 'WIN_CSC_KEY_PASSWORD' : set(env, 'CSC_KEY_PASSWORD') ? 'CSC_KEY_PASSWORD' : null;
      return { platform, signed: true, detail: `Authenticode certificate from ${link}${pass ? ` (password from ${pass})` : ' (no password variable set: the .pfx must have none)'}` };
    }
    if (set(env, 'AZURE_TENANT_ID') && set(env, 'AZURE_CLIENT_ID')) {
      return { platform, signed: true, detail: 'Azure Trusted Signing (AZURE_TENANT_ID, AZURE_CLIENT_ID; win.azureSignOptions must name the account)' };
    }
    return { platform, signed: false, detail: 'no CSC_LINK / WIN_CSC_LINK: the installers and the app are NOT Authenticode-signed; SmartScreen warns and electron-updater cannot check the publisher' };
  }
  if (platform === 'mac') {
    const identity = set(env, 'CSC_LINK') ? 'a Developer ID Application certificate from CSC_LINK' : set(env, 'CSC_NAME') ? `the keychain identity named by CSC_NAME` : null;
    const notarize =
      set(env, 'APPLE_API_KEY') && set(env, 'APPLE_API_KEY_ID') && set(env, 'APPLE_API_ISSUER')
        ? 'notarized with an App Store Connect API key (APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER)'
        : set(env, 'APPLE_ID') && set(env, 'APPLE_APP_SPECIFIC_PASSWORD') && set(env, 'APPLE_TEAM_ID')
          ? 'notarized with an Apple ID (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID)'
          : set(env, 'APPLE_KEYCHAIN_PROFILE')
            ? 'notarized with the notarytool keychain profile APPLE_KEYCHAIN_PROFILE'
            : null;
    if (!identity) return { platform, signed: false, detail: 'no CSC_LINK or CSC_NAME: the app is NOT signed with a Developer ID (electron-builder may still find one in the login keychain) and cannot be notarized; Gatekeeper blocks it' };
    const pkg = set(env, 'CSC_INSTALLER_LINK') ? '; the pkg is signed with CSC_INSTALLER_LINK' : '; the pkg is NOT signed (no CSC_INSTALLER_LINK): MDM may refuse it';
    return { platform, signed: true, detail: `${identity}, ${notarize ?? 'NOT notarized (no APPLE_* credentials): Gatekeeper warns on first launch'}${pkg}` };
  }
  return {
    platform,
    signed: false,
    detail: 'deb, rpm and AppImage carry no signature from electron-builder: sign the apt/yum repository with your GPG key (docs/deploy.md); the AppImage updates by sha512 only',
  };
}

/** The loud banner for what is not signed, or one line for what is. */
export function signingBanner(statuses: SigningStatus[]): string {
  const unsigned = statuses.filter((s) => !s.signed);
  const lines = statuses.filter((s) => s.signed).map((s) => `signing ${s.platform}: ${s.detail}`);
  if (unsigned.length === 0) return lines.join('\n');
  const bar = '!'.repeat(78);
  return [
    ...lines,
    bar,
    '!!  UNSIGNED BUILD',
    ...unsigned.map((s) => `!!  ${s.platform}: ${s.detail}`),
    '!!  For testing only: sign before a fleet gets these (docs/deploy.md, "Sign").',
    bar,
  ].join('\n');
}
