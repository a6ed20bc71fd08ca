import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.ts$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [join(dir, d.name)] : [],
  );

describe('server tiers', () => {
  it('SQL lives in server/store only: no route, service or job sends a query itself', () => {
    const offenders = ['server/routes', 'server/services', 'server/jobs', 'server/http', 'server/auth', 'server/legacy']
      .flatMap(sources)
      .filter((f) => /\.query\s*(<[^>]*>)?\s*\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+\w/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
