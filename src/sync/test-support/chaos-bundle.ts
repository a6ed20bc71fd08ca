import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundle chaos-device.ts into one ESM file (packages stay external, resolved from the repo's
 * node_modules, hence the output under node_modules/.cache).
 */
export async function buildChaosDevice(): Promise<{ path: string; remove(): void }> {
  const outDir = join(ROOT, 'node_modules', '.cache', 'stint-sync-chaos');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `chaos-device-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL('./chaos-device.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return { path: outfile, remove: () => rmSync(outfile, { force: true }) };
}
