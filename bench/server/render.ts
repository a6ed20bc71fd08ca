// Re-renders docs/bench/server.md from docs/bench/server.json (after a change to the report layout).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderMarkdown, type BenchResult } from './report';

writeFileSync('docs/bench/server.md', renderMarkdown(JSON.parse(readFileSync('docs/bench/server.json', 'utf8')) as BenchResult));
