import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { trayStates, type TrayState } from '../../src/main/tray-model';

const SVG = new URL('../../src/main/assets/tray-icon.svg', import.meta.url);
const colors: Record<TrayState, string> = { tracking: '#1a7f37', paused: '#57606a', offline: '#9a6700', attention: '#57606a' };

/** The one SVG (every tray state and the application icon come from it) in `color`, only `state`'s badge shown. */
export function stintGlyphSvg(state: TrayState, color: string): string {
  let svg = readFileSync(SVG, 'utf8').replaceAll('STATE_COLOR', color);
  for (const s of trayStates) svg = svg.replace(`BADGE_${s}`, s === state ? 'inline' : 'none');
  return svg;
}

/** The one SVG with a state's colour and only that state's badge shown. */
export function trayIconSvg(state: TrayState): string {
  return stintGlyphSvg(state, colors[state]);
}

/** The tracking colour: the application icon's background. */
export const STINT_GREEN = colors.tracking;

/** tray-<state>.png (16 px) and tray-<state>@2x.png (32 px) per state, into `dir`. */
export async function renderTrayIcons(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const state of trayStates) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
      const file = join(dir, `tray-${state}${suffix}.png`);
      await sharp(Buffer.from(trayIconSvg(state)), { density: 72 * (size / 32) * 4 }).resize(size, size).png().toFile(file);
      files.push(file);
    }
  }
  return files;
}
