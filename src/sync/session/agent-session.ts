import { join } from 'node:path';
import type { CapturePolicy } from '../../shared/policy';
import { fileCredentialStore } from '../api/credential-store';
import { toHttpFailure } from '../api/http-failure';
import { createServerClient } from '../api/server-client';
import { enrollDevice, signInWithPassword } from './sign-in';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { newId } from '../../shared/ids';
import type { Project, SyncPort } from '../tracker';
import type { UploadQueue } from '../db/outbox-port';
import { fileCatalogCache, type Catalog } from '../catalog/catalog-cache';
import { createTrackerSync, loadClockOffset, type TrackerSync } from '../upload/sync-port';
import { adoptLegacyServerFiles, lastServerUrl, rememberServer, serverDataDir } from './server-dirs';

/** How the agent finds its server and proves who it is (environment; the first run enrolls or signs in). */
export interface AgentSyncEnv {
  STINT_SERVER_URL?: string;
  STINT_ENROLLMENT_TOKEN?: string;
  STINT_EMAIL?: string;
  STINT_PASSWORD?: string;
}

export interface AgentSync {
  serverUrl: string;
  deviceId: string;
  /** Ports for createTracker: the server-corrected clock and the sync engine. */
  ports: { clock: Clock; sync: (outbox: { queue: UploadQueue; dataDir: string }) => SyncPort };
  /** The org's projects (pulled now, or cached from the last pull when offline). */
  projects: Project[];
  policy: Partial<CapturePolicy> | undefined;
  sync: TrackerSync;
}

const CACHED_CATALOG_WAIT_MS = 3_000;

const toProjects = (c: Catalog | null): Project[] =>
  (c?.projects ?? [])
    .filter((p) => !p.archived)
    .map((p) => ({ id: p.id, name: p.name, tasks: p.tasks.filter((t) => !t.archived).map((t) => ({ id: t.id, name: t.name })) }));

/**
 * Wire the agent to a server: enroll (STINT_ENROLLMENT_TOKEN) or sign in (STINT_EMAIL +
 * STINT_PASSWORD) on the first run on each server, keep the credential in that server's folder of the data dir, pull the projects and
 * policy (falling back to the cached ones offline). Returns null when no server is configured:
 * the tracker then runs fully offline.
 */
export async function prepareAgentSync(o: { dataDir: string; env: AgentSyncEnv; deviceName: string; log: (line: string) => void }): Promise<AgentSync | null> {
  adoptLegacyServerFiles(o.dataDir);
  const serverUrl = o.env.STINT_SERVER_URL ?? lastServerUrl(o.dataDir);
  if (!serverUrl) return null;
  const serverDir = serverDataDir(o.dataDir, serverUrl);
  const credentials = fileCredentialStore(join(serverDir, 'credentials.json'));
  const stored = credentials.load();
  const clock = loadClockOffset(serverDir);
  const client = createServerClient({ baseUrl: serverUrl, credentials, clock, timeoutMs: 15_000 });
  if (!stored || stored.serverUrl !== serverUrl) {
    const deviceId = newId();
    const why = (what: string) => (err: unknown): never => {
      throw new Error(`${what} on ${serverUrl} failed: ${toHttpFailure(err).reason}`);
    };
    if (o.env.STINT_ENROLLMENT_TOKEN) {
      const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
      await enrollDevice(client, credentials, { enrollmentToken: o.env.STINT_ENROLLMENT_TOKEN, deviceId, name: o.deviceName, platform }).catch(
        why('enrollment'),
      );
      o.log(`enrolled as device ${deviceId} on ${serverUrl}`);
    } else if (o.env.STINT_EMAIL && o.env.STINT_PASSWORD) {
      await signInWithPassword(client, credentials, { email: o.env.STINT_EMAIL, password: o.env.STINT_PASSWORD, deviceId }).catch(why('sign-in'));
      o.log(`signed in as ${o.env.STINT_EMAIL} on ${serverUrl}`);
    } else {
      throw new Error(`not enrolled on ${serverUrl}: set STINT_ENROLLMENT_TOKEN, or STINT_EMAIL and STINT_PASSWORD`);
    }
  }
  rememberServer(o.dataDir, serverUrl);
  const cache = fileCatalogCache(join(serverDir, 'catalog.json'));
  let catalog = cache.load();
  try {
    // With a cached catalog the tracker does not wait long for a fresh one (a black-holed network
    // must not hold capture back); the engine pulls it again in the background.
    const signal = catalog ? AbortSignal.timeout(CACHED_CATALOG_WAIT_MS) : undefined;
    const [me, projects] = await Promise.all([client.me(signal), client.projects(signal)]);
    catalog = { me, projects, fetchedAt: Date.now() };
    cache.save(catalog);
  } catch (err) {
    o.log(`could not pull projects and policy (${(err as Error).message}); using ${catalog ? 'the cached ones' : 'none yet'}`);
  }
  let policy = catalog?.me.policy;
  const sync = createTrackerSync({
    serverUrl,
    serverDir,
    clock,
    credentials,
    keepLocalDays: () => policy?.keepLocalDays ?? 0,
    onCatalog: (c) => void (policy = c.me.policy),
  });
  return {
    serverUrl,
    deviceId: credentials.load()!.deviceId,
    ports: { clock: { ...systemClock, now: () => clock.now() }, sync: sync.port },
    projects: toProjects(catalog),
    policy,
    sync,
  };
}
