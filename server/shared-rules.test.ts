import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('shared rules (src/shared/rules)', () => {
  it('the grace window and the activity % formula have one copy, used by both the server and the device', () => {
    const files = [...sources('server'), ...sources('src/sync')];
    const copies = files.filter((f) => /GraceSeconds \* 1000|\(active\w* \/ tracked\w*\)/.test(readFileSync(f, 'utf8')));
    expect(copies).toEqual([]);
    const users = (rule: string) => files.filter((f) => readFileSync(f, 'utf8').includes(`shared/rules/${rule}'`)).map((f) => f.split('/')[0]);
    expect(new Set(users('grace-window'))).toEqual(new Set(['server', 'src']));
    expect(new Set(users('activity-percent'))).toEqual(new Set(['server', 'src']));
  });
});
