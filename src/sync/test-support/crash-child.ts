/**
 * A tracker process for the crash-safety test: it captures (synthetic frames through the real
 * worker, encoder, atomic writer and outbox), claims and completes uploads in a loop, and says
 * on stdout what it committed. The parent kills it with SIGKILL (or STINT_FAULT_POINT makes it
 * die at a named point) and checks what survives.
 */
import { createTracker } from '../tracker';
import { faultPoint } from '../test-hooks/fault-point';
import { syntheticCapturerModule } from './synthetic.capturer';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child <dataDir>');
const PROJECT = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';
const say = (line: string) => process.stdout.write(`${line}\n`);

const tracker = await createTracker(
  {
    // A bundled child (see crash-safety.test.ts) names the bundled capturer module.
    capturer: { module: process.env.STINT_CRASH_CAPTURER || syntheticCapturerModule, options: { displays: 2, width: 48, height: 32 } },
    idle: { idleMs: async () => 0 },
    windows: { current: async () => null },
    log: (line) => {
      if (line.startsWith('capture ')) say(`committed ${line.split(' ')[1]}`);
    },
  },
  { dataDir, projects: [{ id: PROJECT, name: 'Crash', tasks: [] }], policy: { screenshotsPerSlot: 0 } },
);
await tracker.api['timer.start']({ projectId: PROJECT });
for (let i = 0; i < 200; i++) {
  await tracker.captureNow();
  // Random kills are timed from here, once the loop runs at full speed.
  if (i === 0) say('ready');
  const jobs = tracker.queue.claimScreenshots(2, 60_000, Date.now());
  faultPoint('after-claim');
  for (const j of jobs) {
    say(`claimed ${j.id}`);
    if (i % 2 === 0) tracker.queue.markScreenshotDone(j.id, Date.now());
  }
}
await tracker.shutdown();
say('finished');
