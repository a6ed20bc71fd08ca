import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/sync/test-support/temp-dir';

const ROOT = join(import.meta.dirname, '..');
const makensis = ['/usr/bin/makensis', '/usr/local/bin/makensis'].find((p) => existsSync(p));

// The installer itself is built by electron-builder on Windows; this compiles Stint's NSIS
// additions (/POLICY=) with the same headers, so a syntax or macro error shows here.
describe('build/installer.nsh (the NSIS /POLICY= switch)', () => {
  it.skipIf(!makensis)(`compiles in an installer's .onInit and install section${makensis ? '' : ' (skipped: no makensis; apt-get install nsis)'}`, () => {
    const out = tempDir('stint-nsis-');
    try {
      // -WX: warnings are errors, as electron-builder builds it (nsis.warningsAsErrors); both passes.
      for (const pass of [[], ['-DBUILD_UNINSTALLER']]) {
        const exe = join(out.path, `check${pass.length}.exe`);
        const r = spawnSync(makensis!, ['-V2', '-WX', ...pass, `-DINCLUDE=${join(ROOT, 'build/installer.nsh')}`, `-DOUT=${exe}`, join(ROOT, 'test/fixtures/nsis/policy-switch.nsi')], { encoding: 'utf8' });
        expect(r.status, `${pass.join(' ') || 'installer'}: ${r.stdout}${r.stderr}`).toBe(0);
        expect(existsSync(exe)).toBe(true);
      }
    } finally {
      out.remove();
    }
  });
});
