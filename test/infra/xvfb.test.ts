import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startXvfb } from './xvfb';

describe('startXvfb', () => {
  it('starts two servers on distinct free displays that answer X requests, and stops them', async () => {
    const [a, b] = await Promise.all([startXvfb({ width: 800, height: 600 }), startXvfb({ width: 640, height: 480 })]);
    try {
      expect(a.display).not.toBe(b.display);
      const dims = (env: NodeJS.ProcessEnv) =>
        /dimensions:\s+(\d+x\d+)/.exec(execFileSync('xdpyinfo', { env, encoding: 'utf8' }))?.[1];
      expect(dims(a.env)).toBe('800x600');
      expect(dims(b.env)).toBe('640x480');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(() => execFileSync('xdpyinfo', { env: a.env, stdio: 'pipe' })).toThrow();
  });
});
