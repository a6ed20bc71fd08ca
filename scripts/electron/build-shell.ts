import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { renderTrayIcons } from './tray-icons';

/**
 * Builds the Electron shell without the Electron binary: out/main/main.cjs, out/preload/preload.cjs
 * (one file each, electron left external) and the tray icons. The renderer is vite's
 * (npm run build), the core runs from src/sync under tsx in the utilityProcess.
 */
export async function buildShell(outDir: string): Promise<{ files: string[] }> {
  const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', external: ['electron'], sourcemap: true, logLevel: 'error', format: 'cjs' };
  await build({ ...common, entryPoints: ['src/main/main.ts'], outfile: join(outDir, 'main/main.cjs') });
  // A sandboxed preload can require only 'electron' and a few polyfills: everything else is bundled in.
  await build({ ...common, entryPoints: ['src/preload/preload.ts'], outfile: join(outDir, 'preload/preload.cjs') });
  const icons = await renderTrayIcons(join(outDir, 'icons'));
  return { files: [join(outDir, 'main/main.cjs'), join(outDir, 'preload/preload.cjs'), ...icons] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files } = await buildShell(process.argv[2] ?? 'out');
  console.log(`built the Electron shell: ${files.length} files in ${process.argv[2] ?? 'out'}`);
}
