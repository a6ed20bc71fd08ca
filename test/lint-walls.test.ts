import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The walls of ../shared/DESIGN.md are lint rules; these cases prove each wall holds.
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'stint/walls').map((m) => m.message);
}

describe('folder walls', () => {
  it.each([
    ['src/sync/capture/x.ts', "import 'electron';\n"],
    ['src/sync/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['src/sync/x.ts', "import React from 'react';\nexport const a = React;\n"],
    ['src/sync/x.ts', "import { createApp } from '../../server/app';\nexport const a = createApp;\n"],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['src/shared/x.ts', "import { a } from '../sync/tracker';\nexport const b = a;\n"],
    ['server/x.ts', "import { a } from '../src/sync/tracker';\nexport const b = a;\n"],
    ['src/renderer/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n"],
    ['src/renderer/x.ts', "import { a } from '../sync/tracker';\nexport const b = a;\n"],
    ['src/main/x.ts', "import { a } from '../renderer/App';\nexport const b = a;\n"],
    ['src/sync/upload/deep/x.ts', "import { a } from '../../../../server/app';\nexport const b = a;\n"],
    ['src/shared/http/x.ts', "export { a } from '../../sync/tracker';\n"],
    ['server/x.ts', "const m = await import('../src/sync/tracker');\nexport const b = m;\n"],
    ['src/sync/x.ts', "import { ipcMain } from 'electron/main';\nexport const b = ipcMain;\n"],
  ])('%s may not import this: %s', async (file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/sync/x.ts', "import { uuidV7 } from '../shared/ids';\nimport { readFileSync } from 'node:fs';\nexport const a = [uuidV7, readFileSync];\n"],
    ['server/x.ts', "import { uuidV7 } from '../src/shared/ids';\nexport const a = uuidV7;\n"],
    ['src/renderer/x.ts', "import { uuidV7 } from '../shared/ids';\nexport const a = uuidV7;\n"],
    ['src/main/x.ts', "import { uuidV7 } from '../shared/ids';\nimport { a } from '../sync/tracker';\nexport const b = [uuidV7, a];\n"],
    ['src/shared/index.ts', "export * from './http/push';\n"],
    ['src/sync/upload/engine.test.ts', "import { a } from '../../../server/test-support/start-test-server';\nexport const b = a;\n"],
  ])('%s may import its allowed layers', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
