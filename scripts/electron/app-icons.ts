import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { STINT_GREEN, stintGlyphSvg } from './tray-icons';

/** The sizes electron-builder takes: Linux picks each from `build/icons/<n>x<n>.png`, Windows makes its .ico from 256, macOS its .icns from 1024. */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/**
 * The application icon (installers, Dock, Start menu, Linux menus) from the same SVG as the tray
 * icons (src/main/assets/tray-icon.svg): its stopwatch in white on a rounded square of the
 * tracking green. One source for every icon Stint shows.
 */
export function appIconSvg(): string {
  const glyph = stintGlyphSvg('tracking', '#ffffff');
  const inner = glyph.slice(glyph.indexOf('>') + 1, glyph.lastIndexOf('</svg>'));
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">',
    `<rect x="1" y="1" width="30" height="30" rx="7" fill="${STINT_GREEN}"/>`,
    // The 32-unit glyph at 70 %, centred.
    `<g transform="translate(4.8 4.3) scale(0.7)">${inner}</g>`,
    '</svg>',
  ].join('');
}

/** Renders `<n>x<n>.png` for every size into `dir` (build/icons when packaging). */
export async function renderAppIcons(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const svg = Buffer.from(appIconSvg());
  const files: string[] = [];
  for (const size of APP_ICON_SIZES) {
    const file = join(dir, `${size}x${size}.png`);
    // Rasterised at the target size (density scales the 32-unit viewBox), not scaled down from one big bitmap.
    await sharp(svg, { density: (72 * size) / 32 }).resize(size, size).png().toFile(file);
    files.push(file);
  }
  return files;
}
