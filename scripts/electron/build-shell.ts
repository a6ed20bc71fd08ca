import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { renderTrayIcons } from './tray-icons';

/** Native or binary-carrying modules the core loads from node_modules (unpacked from the asar when packaged). */
export const CORE_EXTERNALS = ['electron', 'better-sqlite3', 'sharp', 'screenshot-desktop'];

/**
 * Builds the Electron shell without the Electron binary: out/main/main.cjs, out/preload/preload.cjs
 * (one file each, electron left external) and the tray icons. The renderer is vite's
 * (npm run build). In the dev layout the core runs from src/sync under tsx in the utilityProcess;
 * with `core: true` (packaging) it is bundled too, as ESM beside its helpers: out/core/core-main.mjs,
 * capture-process.mjs, capture-worker.mjs and screenshot-desktop.capturer.mjs, which
 * src/sync/capture finds by name next to the running bundle.
 */
export async function buildShell(outDir: string, opts: { core?: boolean } = {}): Promise<{ files: string[] }> {
  const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', external: ['electron'], sourcemap: true, logLevel: 'error', format: 'cjs' };
  await build({ ...common, entryPoints: ['src/main/main.ts'], outfile: join(outDir, 'main/main.cjs') });
  // A sandboxed preload can require only 'electron' and a few polyfills: everything else is bundled in.
  await build({ ...common, entryPoints: ['src/preload/preload.ts'], outfile: join(outDir, 'preload/preload.cjs') });
  const icons = await renderTrayIcons(join(outDir, 'icons'));
  const core = opts.core ? await buildCore(join(outDir, 'core')) : [];
  return { files: [join(outDir, 'main/main.cjs'), join(outDir, 'preload/preload.cjs'), ...icons, ...core] };
}

async function buildCore(dir: string): Promise<string[]> {
  const entries = ['core-process/core-main', 'capture/capture-process', 'capture/capture-worker', 'capture/screenshot-desktop.capturer'];
  await build({
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    entryPoints: Object.fromEntries(entries.map((e) => [e.split('/')[1]!, `src/sync/${e}.ts`])),
    outdir: dir,
    external: CORE_EXTERNALS,
    // Bundled CommonJS dependencies call require() for Node built-ins: give the ESM output one.
    banner: { js: "import { createRequire as __stintCreateRequire } from 'node:module'; const require = __stintCreateRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: 'error',
  });
  return entries.map((e) => join(dir, `${e.split('/')[1]}.mjs`));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'out';
  const { files } = await buildShell(out, { core: process.argv.includes('--core') });
  console.log(`built the Electron shell: ${files.length} files in ${out}`);
}
