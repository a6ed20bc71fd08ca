import type { Clock } from '../clock';
import type { ActiveWindow, IdleSource } from '../activity/ports';

/** An IdleSource for fake-clock tests: input happens when the test says so. */
export function scriptedIdle(clock: Clock): IdleSource & ActiveWindow & { input(): void } {
  let lastInput = clock.now();
  return {
    input: () => void (lastInput = clock.now()),
    idleMs: async () => clock.now() - lastInput,
    current: async () => ({ app: 'editor', title: 'notes.txt' }),
  };
}
