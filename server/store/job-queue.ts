import PgBoss from 'pg-boss';
import type { Queryable } from './db';

export const QUEUES = ['screenshot.process', 'retention.purge'] as const;
export type QueueName = (typeof QUEUES)[number];

/** The API's view of the queue: it only sends jobs and reports depth. */
export interface JobQueue {
  /** With `tx`, the job is inserted in that transaction: it exists if and only if the transaction commits. */
  send(name: QueueName, data: object, tx?: Queryable): Promise<void>;
  /** Nudges a worker in this process to fetch now (after a transaction that queued jobs committed). */
  wake(name: QueueName): void;
  depth(): Promise<number>;
}

export type JobHandler = (data: unknown) => Promise<void>;

/** Jobs a worker fetches at once. */
export const JOB_BATCH = 4;

/** pg-boss on the same PostgreSQL: jobs survive restarts and any process may run them. */
export class BossQueue implements JobQueue {
  private readonly workers = new Map<QueueName, string>();

  private constructor(readonly boss: PgBoss) {}

  /**
   * `sendOnly`: an API process that only queues jobs leaves pg-boss's maintenance and cron
   * timers to the workers (less idle CPU per API process).
   */
  static async start(databaseUrl: string, opts: { sendOnly?: boolean } = {}): Promise<BossQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      max: 4,
      schema: 'pgboss',
      application_name: 'stint-jobs',
      ...(opts.sendOnly ? { supervise: false, schedule: false } : {}),
    });
    boss.on('error', () => undefined); // surfaced through failed jobs and /readyz, not as a crash
    await boss.start();
    for (const q of QUEUES) await boss.createQueue(q).catch(() => undefined); // another process may create it first
    return new BossQueue(boss);
  }

  async send(name: QueueName, data: object, tx?: Queryable): Promise<void> {
    const db = tx ? { executeSql: async (text: string, values: unknown[]) => tx.query(text, values) } : undefined;
    await this.boss.send(name, data, { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, ...(db ? { db } : {}) });
    if (!tx) this.wake(name);
  }

  wake(name: QueueName): void {
    const local = this.workers.get(name);
    if (local) this.boss.notifyWorker(local);
  }

  async depth(): Promise<number> {
    let total = 0;
    for (const q of QUEUES) total += await this.boss.getQueueSize(q);
    return total;
  }

  async work(name: QueueName, handler: JobHandler, pollingIntervalSeconds = 2): Promise<void> {
    let id = '';
    // The jobs of a batch run at once (each handler bounds its own work, see VERIFY_CONCURRENCY).
    id = await this.boss.work<object>(name, { batchSize: JOB_BATCH, pollingIntervalSeconds }, async (jobs) => {
      await Promise.all(jobs.map((job) => handler(job.data)));
      // pg-boss sleeps out the rest of the polling interval after every batch, which caps a worker
      // at JOB_BATCH jobs per interval however fast it works. A full batch says more are waiting:
      // fetch again at once. Only an empty or partial fetch waits for the next poll (or a wake).
      if (jobs.length === JOB_BATCH) this.boss.notifyWorker(id);
    });
    this.workers.set(name, id);
  }

  async schedule(name: QueueName, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, {}, { tz: 'UTC' });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
