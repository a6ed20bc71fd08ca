import { defineConfig } from '@playwright/test';

// Debian's Chromium (npx playwright install cannot download here); the agent runs under Xvfb.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/playwright',
  timeout: 90_000,
  workers: 1,
  // As in vitest.config.ts: one more try on CI, reported as "flaky" when it passes, to be fixed.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  projects: [
    // The real Electron app (_electron.launch): runs where an Electron binary exists, skips saying why where not.
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
    {
      name: 'web',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        screenshot: 'only-on-failure',
        launchOptions: {
          executablePath: process.env.STINT_CHROMIUM ?? '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
});
