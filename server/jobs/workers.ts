import type { ServiceContext } from '../services/context';
import type { BossQueue } from '../store/job-queue';
import { pruneOpReceipts, purgeExpiredScreenshots } from './retention.job';
import { processScreenshots } from './screenshot-process.job';

/** Registers the job handlers on a queue: used by `npm run worker` and by the in-process mode. */
export async function startWorkers(queue: BossQueue, ctx: ServiceContext, pollingIntervalSeconds = 2): Promise<void> {
  await queue.work('screenshot.process', async (data) => void (await processScreenshots(ctx, data)), pollingIntervalSeconds);
  await queue.work(
    'retention.purge',
    async () => {
      await purgeExpiredScreenshots(ctx);
      await pruneOpReceipts(ctx);
    },
    pollingIntervalSeconds,
  );
  await queue.schedule('retention.purge', '17 * * * *');
}
