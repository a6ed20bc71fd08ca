// Lint, and the walls between folders (docs/architecture.md "Folders and walls"): each folder is a runtime and
// may import only what that runtime can load. Relative imports are checked by `stint/walls`
// (tools/eslint/walls.js); packages and Node built-ins by `no-restricted-imports` below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import stint from './tools/eslint/walls.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ui = ['electron', 'react', 'react-dom', 'react-dom/client', 'zustand'];

function packages(message, names, patterns = []) {
  return {
    'no-restricted-imports': [
      'error',
      { paths: names.map((name) => ({ name, message })), patterns: patterns.length ? [{ group: patterns, message }] : [] },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.tsbuild/**', 'coverage/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { stint },
    rules: {
      'stint/walls': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Small modules: a source file over 400 lines or a function over 120 lines fails lint.
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts', 'scripts/**/*.ts', 'tools/**/*.{js,ts}'],
    ignores: ['**/*.test.{ts,tsx}', '**/test-support/**', 'bench/**', 'test/**'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: packages('src/shared holds contracts only: zod and types, no Node, Electron or React', [...nodeBuiltins, ...ui], [
      'node:*',
      'electron/*',
      'react-dom/*',
      'zustand/*',
    ]),
  },
  {
    files: ['src/sync/**/*.ts', 'server/**/*.ts'],
    rules: packages('the core and the server run in plain Node: never Electron, React or the DOM', ui, [
      'electron/*',
      'react-dom/*',
      'zustand/*',
    ]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: packages('src/renderer runs in a sandboxed page: no Node built-ins, no Electron', [...nodeBuiltins, 'electron'], [
      'node:*',
      'electron/*',
    ]),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: packages('src/main is the Electron shell, not the UI', ['react', 'react-dom', 'zustand']),
  },
  {
    // A sandboxed preload can require 'electron' only; it never hands ipcRenderer itself to the page.
    files: ['src/preload/**/*.ts'],
    rules: packages('src/preload runs sandboxed: electron (contextBridge, ipcRenderer) and src/shared only', [...nodeBuiltins, 'react', 'react-dom', 'zustand', 'electron/main'], ['node:*']),
  },
);
