import { describe, expect, it } from 'vitest';
import { checkBuilderConfig } from '../scripts/electron/builder-config';

describe('electron-builder.yml against the schema inside app-builder-lib', () => {
  it('is valid: every key is one electron-builder knows, with a value of its type', () => {
    expect(checkBuilderConfig('electron-builder.yml')).toEqual([]);
  });

  it('names each unknown, misplaced or mistyped key of a bad file', () => {
    const problems = checkBuilderConfig('test/fixtures/electron-builder/bad-keys.yml');
    expect(problems).toContain('/nsis: unknown key "deleteAppDataOnUninstal"');
    expect(problems).toContain('/linux: unknown key "oneClick"');
    expect(problems.some((p) => p.startsWith('/mac/hardenedRuntime:'))).toBe(true);
  });
});
