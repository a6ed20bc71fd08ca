import { join, sep } from 'node:path';

/**
 * Where the shell finds the window and the tracker core. Dev layout (out/main beside src/ and
 * dist/): the core runs from src/sync under tsx, the window from vite's build. Packaged
 * (electron-builder.yml): both inside the app; the core bundle is unpacked from the asar
 * (app.asar.unpacked), because a utilityProcess and its capture helper run it as real files.
 * STINT_RENDERER_DIR / STINT_CORE_ENTRY override either.
 */
export function appPaths(here: string, packaged: boolean, env: NodeJS.ProcessEnv): { renderer: string; core: string } {
  const unpacked = (p: string) => p.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
  return {
    renderer: env.STINT_RENDERER_DIR ?? join(here, '../../dist/renderer'),
    core: env.STINT_CORE_ENTRY ?? (packaged ? unpacked(join(here, '../core/core-main.mjs')) : join(here, '../../src/sync/core-process/core-main.ts')),
  };
}
