import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
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
});
