import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['test/infra/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    // CI gets one more try of a failed test: a pass on it is printed as a retry, and is a race to
    // fix (the failing try's error is printed too), not a green light.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default'],
  },
});
