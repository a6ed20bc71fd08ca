import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderAppIcons } from './app-icons';
import { buildShell } from './build-shell';
import { findElectronBinary } from './electron-binary';
import { signingBanner, signingStatus, type PackagePlatform } from './signing-status';

/**
 * `npm run package -- [--win|--mac|--linux] [target…] [--download-electron]`: builds the window,
 * the shell and the core bundle, renders the app icons from the one SVG (src/main/assets/tray-icon.svg), says what is signed (an
 * UNSIGNED banner when nothing is), then runs electron-builder with electron-builder.yml. The
 * other arguments go to electron-builder as they are (`--linux dir` makes only the unpacked app).
 */
const root = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const download = args.includes('--download-electron');
const builderArgs = args.filter((a) => a !== '--download-electron');

const HOST: PackagePlatform = process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
const FLAGS: Record<string, PackagePlatform> = { '--win': 'win', '-w': 'win', '--windows': 'win', '--mac': 'mac', '-m': 'mac', '--macos': 'mac', '--linux': 'linux', '-l': 'linux' };
const platforms = [...new Set(builderArgs.flatMap((a) => (FLAGS[a] ? [FLAGS[a]] : [])))];
if (platforms.length === 0) platforms.push(HOST);

const say = (line: string) => console.log(`package: ${line}`);
const banner = signingBanner(platforms.map((p) => signingStatus(p, process.env)));
console.log(banner);

const electron = findElectronBinary(root);
const distArgs: string[] = [];
if ('path' in electron && platforms.every((p) => p === HOST)) {
  // The Electron already here, for this platform: electron-builder copies it instead of downloading one.
  distArgs.push(`--config.electronDist=${process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(root, 'node_modules/electron/dist')}`);
} else if (!download) {
  const why = 'missing' in electron ? electron.missing : `it is for ${HOST}, and ${platforms.join(', ')} was asked for`;
  say(`cannot package: electron-builder needs an Electron binary for ${platforms.join(', ')}, and the one here cannot serve (${why}).`);
  say('what was not done: no installer, no unpacked app. Where downloads work, run `npx install-electron` (same platform) or add --download-electron (electron-builder fetches Electron from GitHub or ELECTRON_MIRROR).');
  process.exit(2);
}

const run = (cmd: string, argv: string[]) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    say(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
};

run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
await buildShell(join(root, 'out'), { core: true });
const icons = await renderAppIcons(join(root, 'build/icons'));
say(`built the window, the shell and the core bundle; ${icons.length} app icon sizes from src/main/assets/tray-icon.svg`);
// Never electron-builder's own publishing (CI=true on a tag would try): the feed is filled by
// `npm run publish-update`, which checks every sha512 first.
const publishArgs = builderArgs.some((a) => a === '--publish' || a === '-p' || a.startsWith('--publish=')) ? [] : ['--publish', 'never'];
run(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', ...publishArgs, ...distArgs, ...builderArgs]);
say('electron-builder finished: installers in release/');
// Said again at the end, where a person reading the last lines of a long build will see it.
if (banner.includes('UNSIGNED')) console.log(banner);
