import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, or why there is none. Reads node_modules/electron/path.txt and
 * dist/ directly: `require('electron')` would try to download the binary (electron 45 has no
 * install script; it downloads on first require), which must never happen as a side effect here.
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  if (env.STINT_ELECTRON && existsSync(env.STINT_ELECTRON)) return { path: env.STINT_ELECTRON };
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { missing: 'the electron package is not installed (npm install)' };
  const pathFile = join(pkg, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const bin = rel ? join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'), rel) : null;
  if (bin && existsSync(bin)) return { path: bin };
  return {
    missing:
      'no Electron binary on this machine (node_modules/electron/dist is empty: it was installed without downloading the binary, ' +
      'as ELECTRON_SKIP_BINARY_DOWNLOAD or a machine without download access leaves it). Run `npx install-electron` where downloads work, or set STINT_ELECTRON',
  };
}
