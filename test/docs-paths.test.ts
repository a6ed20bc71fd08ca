import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every repository path a doc table names in backticks (`src/...`, `server/...`, `test/...`). */
function namedPaths(doc: string, heading: string): string[] {
  const text = readFileSync(doc, 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`${doc} has no "${heading}" section`);
  const end = text.indexOf('\n## ', start + heading.length);
  const section = text.slice(start, end < 0 ? undefined : end);
  const paths = [...section.matchAll(/`((?:src|server|test|bench|scripts|tools|docs)\/[^`\s]*)`/g)].map((m) => m[1]!);
  // `idle-detector.ts` inside "`src/sync/idle/` (...)" names a file of that folder.
  const inFolder = [...section.matchAll(/`((?:src|server)\/[^`\s]*\/)` \(([^)]*)\)/g)].flatMap((m) =>
    [...m[2]!.matchAll(/`([^`/\s]+\.ts)`/g)].map((f) => `${m[1]}${f[1]}`),
  );
  return [...new Set([...paths, ...inFolder])];
}

describe('docs name only paths that exist', () => {
  it('docs/architecture.md "Where does X live" names real files and folders', () => {
    const paths = namedPaths('docs/architecture.md', '## Where does X live');
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });

  it("README.md's layout table names real folders", () => {
    const paths = namedPaths('README.md', '## Layout');
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });

  it('docs/deploy.md "What was not run here" names real files', () => {
    const paths = namedPaths('docs/deploy.md', '## What was not run here');
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });

  it('the where-table covers every concept the house-order issue names', () => {
    const text = readFileSync('docs/architecture.md', 'utf8');
    for (const concept of ['capture', 'idle', 'outbox', 'sync', 'sign-in', 'catalog', 'ingest', 'timeline', 'deletion', 'retention'])
      expect(text, concept).toMatch(new RegExp(`^\\| ${concept} \\|`, 'm'));
  });
});
