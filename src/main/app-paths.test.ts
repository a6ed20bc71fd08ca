import { describe, expect, it } from 'vitest';
import { appPaths } from './app-paths';

describe('where the shell finds the window and the core', () => {
  it('dev layout: the core from src/sync (tsx), the window from dist/renderer', () => {
    expect(appPaths('/repo/out/main', false, {})).toEqual({ renderer: '/repo/dist/renderer', core: '/repo/src/sync/core-process/core-main.ts' });
  });

  it('packaged: the window inside the asar, the core bundle from app.asar.unpacked', () => {
    expect(appPaths('/opt/Stint/resources/app.asar/out/main', true, {})).toEqual({
      renderer: '/opt/Stint/resources/app.asar/dist/renderer',
      core: '/opt/Stint/resources/app.asar.unpacked/out/core/core-main.mjs',
    });
  });

  it('STINT_RENDERER_DIR and STINT_CORE_ENTRY win', () => {
    expect(appPaths('/x/out/main', true, { STINT_RENDERER_DIR: '/r', STINT_CORE_ENTRY: '/c.mjs' })).toEqual({ renderer: '/r', core: '/c.mjs' });
  });
});
