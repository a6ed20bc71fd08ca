// ESLint rule `stint/walls`: the folder walls of docs/architecture.md ("Folders and walls").
// Each folder is a runtime; a file may import from the layers its runtime allows. Relative
// imports are resolved to the folder they land in, so `../sync/x` from src/shared and
// `../../server/app` from src/sync/upload are both caught whatever the nesting depth.
import path from 'node:path';

export const LAYERS = {
  'src/shared': { may: [], why: 'src/shared holds contracts only (zod and types): it imports nothing of ours' },
  'src/sync': { may: ['src/shared'], why: 'src/sync is the Electron-free core: it imports src/shared only' },
  'src/main': { may: ['src/shared', 'src/sync'], why: 'src/main is the Electron shell: it wires src/sync and src/shared only' },
  'src/preload': { may: ['src/shared'], why: 'src/preload exposes TrackerApi and imports src/shared only' },
  'src/renderer': { may: ['src/shared'], why: 'src/renderer imports src/shared and its own bridge only' },
  server: { may: ['src/shared'], why: 'server imports src/shared only' },
};

/** Test code may reach further than runtime code (tests of the core start the real server). */
export const TEST_LAYERS = {
  'src/sync': ['src/shared', 'server', 'test'],
  server: ['src/shared', 'test'],
};

export function isTestFile(rel) {
  return /\.test\.tsx?$/.test(rel) || /(^|\/)test-support\//.test(rel);
}

export function layerOf(rel) {
  return Object.keys(LAYERS).find((l) => rel === l || rel.startsWith(`${l}/`)) ?? null;
}

function topFolderOf(rel) {
  return layerOf(rel) ?? rel.split('/')[0];
}

export const wallsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the folder walls between runtimes' },
    schema: [],
    messages: { wall: '{{from}} may not import {{to}}: {{why}}.' },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    if (!from) return {};
    const allowed = new Set([from, ...(isTestFile(file) ? (TEST_LAYERS[from] ?? LAYERS[from].may) : LAYERS[from].may)]);
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      const to = topFolderOf(target);
      if (!allowed.has(to)) context.report({ node, messageId: 'wall', data: { from, to: target, why: LAYERS[from].why } });
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { walls: wallsRule } };
