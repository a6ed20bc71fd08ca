/**
 * `npm run bench`: every benchmark, one after another (each is its own process so one's memory
 * and servers never colour the next), then docs/performance.md is rebuilt from their results.
 * `npm run bench -- core sync` runs only those. Results: docs/bench/<area>.json + .md.
 * These are measurements, never pass/fail: nothing here fails on a timing.
 */
import { spawnSync } from 'node:child_process';
import { writePerformanceDoc } from './performance-doc';

const areas = ['core', 'server', 'timeline', 'fleet', 'sync', 'ui', 'migrate', 'demo'] as const;
const picked = process.argv.slice(2).filter((a): a is (typeof areas)[number] => (areas as readonly string[]).includes(a));
const bad = process.argv.slice(2).filter((a) => !(areas as readonly string[]).includes(a));
if (bad.length) {
  console.error(`unknown benchmark ${bad.join(', ')}: pick from ${areas.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const area of picked.length ? picked : areas) {
  console.log(`\n=== bench:${area} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${area}/run.ts`], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench:${area} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
writePerformanceDoc();
console.log('\nwrote docs/performance.md');
process.exit(failed ? 1 : 0);
