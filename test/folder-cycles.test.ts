import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Root files of these folders count as nodes of their own (tracker.ts wires its sub-folders).
const ROOTS = new Set(['src/sync', 'server', 'src/shared', 'src/renderer']);
const node = (file: string) => (ROOTS.has(path.dirname(file)) ? file.replace(/\.tsx?$/, '') : path.dirname(file));
const isProduction = (f: string) => !/\.test\.tsx?$|(^|\/)test-support\/|^test\/|^bench\/|^e2e\//.test(f);

/** Groups of folders that import each other, directly or round about (strongly connected components). */
function folderCycles(): string[][] {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { encoding: 'utf8' }).split('\n').filter((f) => f && isProduction(f));
  const edges = new Map<string, Set<string>>();
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const a = node(f);
      const b = node(path.normalize(path.join(path.dirname(f), m[1]!)) + '.ts');
      if (a !== b) (edges.get(a) ?? edges.set(a, new Set()).get(a)!).add(b);
    }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        group.push(w);
        if (w === v) break;
      }
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('folders', () => {
  it('no folder imports back from a folder that imports it (production code)', () => {
    expect(folderCycles()).toEqual([]);
  });
});
