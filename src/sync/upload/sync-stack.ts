import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlobUploader, type BlobUploader } from '../api/blob-upload';
import { ClockOffset, type ClockOffsetState } from '../api/clock-offset';
import { fileCredentialStore, type CredentialStore } from '../api/credential-store';
import { createServerClient, type ServerClient } from '../api/server-client';
import { fileCatalogCache, type Catalog, type CatalogCache } from './catalog-sync';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import { systemClock } from '../clock';
import type { UploadQueue } from '../db/outbox-port';

export interface SyncStackOptions {
  serverUrl: string;
  /** Where credentials.json, clock.json and catalog.json live (the tracker's data dir). */
  dir: string;
  queue: UploadQueue;
  credentials?: CredentialStore;
  pending?: SyncEngineOptions['pending'];
  onCatalog?: (catalog: Catalog) => void;
  /** Engine tuning (concurrency, lease, timers, backoff, removeFile, ...). */
  engine?: Partial<Omit<SyncEngineOptions, 'queue' | 'client' | 'blob' | 'credentials' | 'clock'>>;
  timeoutMs?: number;
  deviceNow?: () => number;
  /** A clock offset the caller already made (the tracker stamps its times with it); else loaded from `dir`. */
  clock?: ClockOffset;
}

export interface SyncStack {
  client: ServerClient;
  blob: BlobUploader;
  clock: ClockOffset;
  credentials: CredentialStore;
  catalog: CatalogCache;
  engine: SyncEngine;
}

/** The sync side of the core wired in one place: clock offset (persisted), client, blob PUTs, engine. */
export function createSyncStack(o: SyncStackOptions): SyncStack {
  mkdirSync(o.dir, { recursive: true });
  const deviceNow = o.deviceNow ?? Date.now;
  const clock = o.clock ?? loadClockOffset(o.dir, deviceNow);
  const credentials = o.credentials ?? fileCredentialStore(join(o.dir, 'credentials.json'));
  const client = createServerClient({ baseUrl: o.serverUrl, credentials, clock, timeoutMs: o.timeoutMs, deviceNow: o.deviceNow });
  const blob = createBlobUploader({ timeoutMs: o.timeoutMs });
  const catalog = fileCatalogCache(join(o.dir, 'catalog.json'));
  // The outbox is scheduled on the later of the device clock and the corrected one: rows stamped
  // with either are due at once, and a server found ahead does not hold back what was captured before.
  const timers = { ...systemClock, now: () => Math.max(deviceNow(), clock.now()) };
  const engine = createSyncEngine({
    timers,
    ...o.engine,
    queue: o.queue,
    client,
    blob,
    credentials,
    clock,
    pending: o.pending,
    catalog: { cache: catalog, onCatalog: o.onCatalog, ...o.engine?.catalog },
  });
  return { client, blob, clock, credentials, catalog, engine };
}

/** The offset persisted in `dir`/clock.json, kept up to date as it is re-measured. */
export function loadClockOffset(dir: string, deviceNow: () => number = Date.now): ClockOffset {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'clock.json');
  return new ClockOffset(deviceNow, readClock(path), (state) => {
    try {
      writeFileSync(path, JSON.stringify(state));
    } catch {
      // Losing the saved offset only costs one measurement after a restart.
    }
  });
}

function readClock(path: string): ClockOffsetState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ClockOffsetState;
    return typeof parsed.offsetMs === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
