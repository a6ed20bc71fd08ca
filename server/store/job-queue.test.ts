import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, suitePostgresUrl } from '../test-support/test-database';
import { BossQueue, JOB_BATCH } from './job-queue';

describe('the job queue (pg-boss on the real PostgreSQL)', () => {
  let queue: BossQueue;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase(suitePostgresUrl());
    drop = database.drop;
    queue = await BossQueue.start(database.url);
  });
  afterAll(async () => {
    await queue?.stop();
    await drop?.();
  });

  it('after a full batch a worker fetches the next at once; it does not sleep out the polling interval between batches', async () => {
    // Three full batches and a partial one, queued before the worker starts (so no send wakes it),
    // with a polling interval of 10 minutes: a worker that slept out the interval after each batch
    // would run one batch in this test's time and then time out.
    const jobs = JOB_BATCH * 3 + 1;
    for (let i = 0; i < jobs; i++) await queue.send('screenshot.process', { n: i });
    const seen = new Set<number>();
    await new Promise<void>((resolve) => {
      void queue.work(
        'screenshot.process',
        async (data) => {
          seen.add((data as { n: number }).n);
          if (seen.size === jobs) resolve();
        },
        600,
      );
    });
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: jobs }, (_, i) => i));
  }, 30_000);
});
