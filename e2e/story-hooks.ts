import type { PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions, TestType } from '@playwright/test';
import type { Stack } from './stack-fixture';

/**
 * For a story on a real stack: a page error fails the test whatever it checks next, and a failed
 * test prints the tail of the agent's log (what the window talked to).
 */
export function storyHooks(test: TestType<PlaywrightTestArgs & PlaywrightTestOptions, PlaywrightWorkerArgs & PlaywrightWorkerOptions & { stack: Stack }>): void {
  test.beforeEach(({ page }) => {
    page.on('pageerror', (err) => {
      throw err;
    });
  });
  test.afterEach(({ stack }, info) => {
    if (info.status !== info.expectedStatus) console.log(`agent log (tail):\n${stack.agent.output().slice(-6000)}`);
  });
}
