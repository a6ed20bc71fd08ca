import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The walls of docs/architecture.md ("Folders and walls") are lint rules; these cases prove each wall holds.
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
    ['src/sync/upload/deep/x.ts', "import { a } from '../../../server/app';\nexport const b = a;\n"],
    ['src/shared/http/x.ts', "export { a } from '../../sync/tracker';\n"],
    ['server/x.ts', "const m = await import('../src/sync/tracker');\nexport const b = m;\n"],
    ['src/sync/x.ts', "import { ipcMain } from 'electron/main';\nexport const b = ipcMain;\n"],
    ['src/renderer/screens/x.tsx', "import { a } from '../../sync/tracker';\nexport const B = () => <p>{String(a)}</p>;\n"],
    ['src/renderer/bridge/x.ts', "import { startBridge } from '../../sync/agent/http-bridge';\nexport const b = startBridge;\n"],
    ['src/renderer/x.tsx', "import { join } from 'node:path';\nexport const B = () => <p>{join('a')}</p>;\n"],
    ['src/renderer/x.tsx', "import { ipcRenderer } from 'electron';\nexport const B = () => <p>{String(ipcRenderer)}</p>;\n"],
    ['src/renderer/x.tsx', "import { a } from '../../server/app';\nexport const B = () => <p>{String(a)}</p>;\n"],
    ['src/preload/x.ts', "import { a } from '../sync/tracker';\nexport const b = a;\n"],
    ['src/preload/x.ts', "import { a } from '../renderer/bridge/pick-bridge';\nexport const b = a;\n"],
    ['src/preload/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['src/preload/x.ts', "import { app } from 'electron/main';\nexport const a = app;\n"],
    ['src/main/x.ts', "import { a } from '../preload/preload';\nexport const b = a;\n"],
    ['src/main/x.ts', "import React from 'react';\nexport const a = React;\n"],
    ['src/sync/core-process/x.ts', "import { utilityProcess } from 'electron';\nexport const a = utilityProcess;\n"],
    ['src/sync/x.ts', "import { a } from '../main/tray';\nexport const b = a;\n"],
  ])('%s may not import this: %s', async (file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/sync/x.ts', "import { uuidV7 } from '../shared/ids';\nimport { readFileSync } from 'node:fs';\nexport const a = [uuidV7, readFileSync];\n"],
    ['server/x.ts', "import { uuidV7 } from '../src/shared/ids';\nexport const a = uuidV7;\n"],
    ['src/renderer/x.ts', "import { uuidV7 } from '../shared/ids';\nexport const a = uuidV7;\n"],
    ['src/main/x.ts', "import { uuidV7 } from '../shared/ids';\nimport { a } from '../sync/tracker';\nexport const b = [uuidV7, a];\n"],
    ['src/main/x.ts', "import { app } from 'electron';\nimport { join } from 'node:path';\nexport const b = [app, join];\n"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';\nimport { trackerMethodNames } from '../shared/tracker-methods';\nexport const b = [contextBridge, trackerMethodNames];\n"],
    ['src/shared/index.ts', "export * from './http/push';\n"],
    ['src/renderer/screens/x.tsx', "import { useState } from 'react';\nimport { uuidV7 } from '../../shared/ids';\nimport { a } from '../stores/app-stores';\nexport const B = () => <p>{String([useState, uuidV7, a])}</p>;\n"],
    ['src/sync/upload/engine.test.ts', "import { a } from '../../../server/test-support/start-test-server';\nexport const b = a;\n"],
  ])('%s may import its allowed layers', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});

describe('size limits', () => {
  async function sizeRules(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? '').filter((r) => r.startsWith('max-lines'));
  }
  const longFile = Array.from({ length: 401 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  const longFunction = `export function f(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(120)}  return n;\n}\n`;

  it('fails a source file over 400 lines', async () => {
    expect(await sizeRules('src/sync/x.ts', longFile)).toEqual(['max-lines']);
  });

  it('fails a function over 120 lines', async () => {
    expect(await sizeRules('server/x.ts', longFunction)).toEqual(['max-lines-per-function']);
  });

  it('lets tests, test support and benches be long', async () => {
    expect(await sizeRules('src/sync/x.test.ts', longFile + longFunction)).toEqual([]);
    expect(await sizeRules('src/sync/test-support/x.ts', longFile)).toEqual([]);
    expect(await sizeRules('bench/sync/x.ts', longFunction)).toEqual([]);
  });

  it('passes a file and a function under the limits', async () => {
    const file = Array.from({ length: 390 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    const fn = `export function f(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(110)}  return n;\n}\n`;
    expect(await sizeRules('src/sync/x.ts', file)).toEqual([]);
    expect(await sizeRules('src/sync/y.ts', fn)).toEqual([]);
  });
});
