import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { APP_ICON_SIZES, renderAppIcons } from '../scripts/electron/app-icons';
import { buildShell } from '../scripts/electron/build-shell';
import { tempDir } from '../src/sync/test-support/temp-dir';

// The shell cannot launch here (no Electron binary), but it must build: this keeps it from rotting.
describe('the Electron shell build', () => {
  it('bundles main and a self-contained preload, and renders every tray state from the one SVG', async () => {
    const dir = tempDir();
    try {
      await buildShell(dir.path);
      const preload = readFileSync(join(dir.path, 'preload/preload.cjs'), 'utf8');
      // A sandboxed preload may require 'electron' only.
      expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
      expect(preload).toContain('exposeInMainWorld');
      const main = readFileSync(join(dir.path, 'main/main.cjs'), 'utf8');
      expect(main).toContain('requestSingleInstanceLock');
      for (const state of ['tracking', 'paused', 'offline', 'attention']) {
        for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
          const meta = await sharp(join(dir.path, `icons/tray-${state}${suffix}.png`)).metadata();
          expect([meta.width, meta.height]).toEqual([size, size]);
        }
      }
    } finally {
      dir.remove();
    }
  });

  it('renders the application icon at every size the installers take, from the same SVG', async () => {
    const dir = tempDir();
    try {
      const files = await renderAppIcons(dir.path);
      expect(files).toHaveLength(APP_ICON_SIZES.length);
      for (const size of APP_ICON_SIZES) {
        const meta = await sharp(join(dir.path, `${size}x${size}.png`)).metadata();
        expect([meta.width, meta.height, meta.hasAlpha]).toEqual([size, size, true]);
      }
    } finally {
      dir.remove();
    }
  });
});
