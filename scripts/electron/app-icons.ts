import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** The application icon's one source (installers, Dock, Start menu, Linux menus). */
export const APP_ICON_SVG = fileURLToPath(new URL('../../build/icon.svg', import.meta.url));

/** The sizes electron-builder takes: Linux picks each from `build/icons/<n>x<n>.png`, Windows makes its .ico from 256, macOS its .icns from 1024. */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** Renders `<n>x<n>.png` for every size into `dir` (build/icons when packaging). */
export async function renderAppIcons(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const size of APP_ICON_SIZES) {
    const file = join(dir, `${size}x${size}.png`);
    // Rasterised at the target size (density scales the 1024-unit viewBox), not scaled down from one big bitmap.
    await sharp(APP_ICON_SVG, { density: Math.max(1, (72 * size) / 1024) }).resize(size, size).png().toFile(file);
    files.push(file);
  }
  return files;
}
