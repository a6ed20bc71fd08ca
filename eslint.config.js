// The walls between folders (../shared/DESIGN.md "Layout"): each folder is a runtime and may
// import only what that runtime can load. Checked in CI by `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const ui = ['electron', 'electron/*', 'react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'];
const ours = (...folders) => folders.map((f) => `**/${f}/**`).concat(folders.map((f) => `**/${f}`));

function wall(message, { paths = [], patterns = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message })),
        patterns: [{ group: patterns, message }],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.tsbuild/**', 'coverage/**', 'test/lint-fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: wall('src/shared holds contracts only: zod and types, nothing of ours, no Node, Electron or React.', {
      paths: [...nodeBuiltins, ...ui],
      patterns: [...ours('sync', 'main', 'preload', 'renderer', 'server'), 'node:*'],
    }),
  },
  {
    files: ['src/sync/**/*.ts'],
    rules: wall('src/sync is the Electron-free core: it may import src/shared and Node, never Electron, React, the DOM or the server.', {
      paths: ui,
      patterns: [...ours('main', 'preload', 'renderer', 'server')],
    }),
  },
  {
    // Tests of the core may start the real server in-process to prove the sync path end to end.
    files: ['src/sync/**/*.test.ts', 'src/sync/**/test-support/**/*.ts'],
    rules: wall('core tests may use the real server, never Electron or React.', {
      paths: ui,
      patterns: [...ours('main', 'preload', 'renderer')],
    }),
  },
  {
    files: ['server/**/*.ts'],
    rules: wall('server may import src/shared only (never the tracker core, the app shell or the UI).', {
      paths: ui,
      patterns: [...ours('sync', 'main', 'preload', 'renderer')],
    }),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: wall('src/renderer may import src/shared and its own bridge only: no Node built-ins, no Electron, no core.', {
      paths: [...nodeBuiltins, 'electron'],
      patterns: [...ours('sync', 'main', 'server'), 'node:*'],
    }),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: wall('src/preload exposes TrackerApi through contextBridge and nothing else.', {
      patterns: [...ours('sync', 'main', 'renderer', 'server')],
    }),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: wall('src/main is the Electron shell: it wires src/sync and src/shared, never the UI or the server.', {
      paths: ['react', 'react-dom', 'zustand'],
      patterns: [...ours('renderer', 'server')],
    }),
  },
);
