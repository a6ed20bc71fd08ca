import { readFileSync } from 'node:fs';

/** This build's version: STINT_APP_VERSION (a packaged app sets it) or the repo's package.json. */
export function appVersion(env: { STINT_APP_VERSION?: string } = process.env): string {
  if (env.STINT_APP_VERSION) return env.STINT_APP_VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
