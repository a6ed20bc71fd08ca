import type { ServerClient } from '../api/server-client';
import type { Clock } from '../clock';
import type { Catalog, CatalogCache } from './catalog-cache';

/** What the catalog pull needs of the sync engine it runs in (the engine's context has it). */
export interface CatalogWorkerContext {
  signal: AbortSignal;
  client: Pick<ServerClient, 'me' | 'projects'>;
  timers: Pick<Clock, 'now' | 'sleep'>;
  gate: { wait(forUploads: boolean): Promise<void>; api: { markOnline(): void } };
  outcomes: { failed(err: unknown, attempts: number): Promise<unknown> };
}

export interface CatalogOptions {
  cache: CatalogCache;
  intervalMs?: number;
  onCatalog?: (catalog: Catalog) => void;
}

const RETRY_AFTER_FAILURE_MS = 30_000;

/** Pulls who we are and the projects every `intervalMs` (10 min), cached for offline use. */
export async function catalogWorker(ctx: CatalogWorkerContext, catalog: CatalogOptions): Promise<void> {
  const { signal, gate, client, timers, outcomes } = ctx;
  while (!signal.aborted) {
    await gate.wait(false);
    let wait = catalog.intervalMs ?? 10 * 60_000;
    try {
      const [me, projects] = await Promise.all([client.me(signal), client.projects(signal)]);
      const pulled: Catalog = { me, projects, fetchedAt: timers.now() };
      catalog.cache.save(pulled);
      catalog.onCatalog?.(pulled);
      gate.api.markOnline();
    } catch (err) {
      await outcomes.failed(err, 1);
      wait = RETRY_AFTER_FAILURE_MS;
    }
    await timers.sleep(wait, signal).catch(() => undefined);
  }
}
