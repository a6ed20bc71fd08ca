import { join } from 'node:path';
import type { CapturePolicy } from '../../shared/policy';
import type { ManagedPolicy } from '../../shared/managed-policy';
import type { FleetResponse } from '../../shared/http/fleet';
import { lockedServerUrl } from '../policy/managed-layer';
import { fileCredentialVault, type CredentialVault } from './credential-vault';
import { toHttpFailure } from '../api/http-failure';
import { createServerClient } from '../api/server-client';
import { enrollDevice, signInWithPassword } from './sign-in';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { newId } from '../../shared/ids';
import type { Project, SyncOutbox, SyncPort } from '../tracker-types';
import { fileCatalogCache, type Catalog } from '../catalog/catalog-cache';
import { createTrackerSync, loadClockOffset, type TrackerSync } from '../upload/sync-port';
import type { DeviceFacts } from '../upload/device-report';
import { adoptLegacyServerFiles, forgetServer, lastServerUrl, rememberServer, serverDataDir } from './server-dirs';

/** How the agent finds its server and proves who it is (environment; the first run enrolls or signs in). */
export interface AgentSyncEnv {
  STINT_SERVER_URL?: string;
  STINT_ENROLLMENT_TOKEN?: string;
  STINT_EMAIL?: string;
  STINT_PASSWORD?: string;
  /** The version the device reports to the fleet view (a packaged app sets it; else package.json's). */
  STINT_APP_VERSION?: string;
  /** Seconds between pulls of the org's policy and projects while running (default 600, at least 5). */
  STINT_CATALOG_PULL_SECONDS?: string;
}

/** How often the running device pulls the org policy and projects: a change applies at the next pull, no restart. */
export function catalogPullMs(env: AgentSyncEnv): number | undefined {
  const s = Number(env.STINT_CATALOG_PULL_SECONDS);
  return env.STINT_CATALOG_PULL_SECONDS && Number.isFinite(s) ? Math.max(5, s) * 1000 : undefined;
}

export interface AgentSync {
  serverUrl: string;
  deviceId: string;
  /** Ports for createTracker: the server-corrected clock and the sync engine. */
  ports: { clock: Clock; sync: (outbox: SyncOutbox) => SyncPort };
  /** The org's projects (pulled now, or cached from the last pull when offline). */
  projects: Project[];
  policy: Partial<CapturePolicy> | undefined;
  sync: TrackerSync;
}

const CACHED_CATALOG_WAIT_MS = 3_000;
/** A sign-out offline does not wait for the server to say the session ended. */
const LOGOUT_WAIT_MS = 3_000;
/** The fleet view is read while someone waits at the window. */
const FLEET_WAIT_MS = 15_000;

const toProjects = (c: Catalog | null): Project[] =>
  (c?.projects ?? [])
    .filter((p) => !p.archived)
    .map((p) => ({ id: p.id, name: p.name, tasks: p.tasks.filter((t) => !t.archived).map((t) => ({ id: t.id, name: t.name })) }));

/** How to prove who this device is on a server: a stored credential, an enrollment token or a password. */
export type ServerAuth =
  | { kind: 'stored' }
  | { kind: 'enroll'; token: string }
  | { kind: 'password'; email: string; password: string };

export interface ConnectOptions {
  dataDir: string;
  serverUrl: string;
  deviceName: string;
  auth: ServerAuth;
  log: (line: string) => void;
  /** A policy or project list the engine pulls later (it applies without a restart). */
  onCatalog?: (catalog: Catalog) => void;
  /** Where credentials are kept (default: a 0600 file in the server's folder). */
  vault?: CredentialVault;
  /** What the device reports with each push for IT's fleet view. */
  device?: DeviceFacts;
  /** Between pulls of the policy and projects (default: the engine's 10 minutes). */
  catalogPullMs?: number;
}

export interface ServerConnection extends AgentSync {
  /** Who signed in (null only when offline with no catalog ever pulled). */
  me: Catalog['me'] | null;
  /**
   * Sign out: a password session is ended on the server too (its refresh token revoked), then this
   * server's credential is forgotten here, so the next start needs a sign-in or a token again.
   * An enrolled device stays enrolled on the server (IT revokes devices); only this copy is forgotten.
   */
  signOut(): Promise<void>;
  /** IT's fleet view, asked with this connection's own credential (the window never holds one). */
  fleet(): Promise<FleetResponse>;
}

/** Thrown when a sign-in or enrollment fails: `reason` is the server's (or the network's) own words. */
export class ConnectError extends Error {
  constructor(
    readonly what: 'enrollment' | 'sign-in' | 'credential',
    readonly serverUrl: string,
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(what === 'credential' ? reason : `${what} on ${serverUrl} failed: ${reason}`);
    this.name = 'ConnectError';
  }
}

/**
 * Connect to one server: sign in or enroll when asked to (replacing that server's credential) or
 * when none is stored, keep the credential in the server's own folder, pull the projects and
 * policy (falling back to the cached ones offline) and make the sync engine's port.
 */
export async function connectToServer(o: ConnectOptions): Promise<ServerConnection> {
  const { serverUrl } = o;
  const serverDir = serverDataDir(o.dataDir, serverUrl);
  const vault = o.vault ?? fileCredentialVault;
  const credentials = vault.forServer(serverDir);
  const stored = credentials.load();
  const clock = loadClockOffset(serverDir);
  const client = createServerClient({ baseUrl: serverUrl, credentials, clock, timeoutMs: 15_000 });
  const fail = (what: 'enrollment' | 'sign-in') => (err: unknown): never => {
    const f = toHttpFailure(err);
    throw new ConnectError(what, serverUrl, f.status, f.reason);
  };
  const deviceId = stored?.serverUrl === serverUrl ? stored.deviceId : newId();
  if (o.auth.kind === 'enroll') {
    const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
    // Enrolling again makes a new device: the server refuses re-enrollment onto a revoked one.
    await enrollDevice(client, credentials, { enrollmentToken: o.auth.token, deviceId: newId(), name: o.deviceName, platform }).catch(fail('enrollment'));
    o.log(`enrolled as device ${credentials.load()!.deviceId} on ${serverUrl}`);
  } else if (o.auth.kind === 'password') {
    await signInWithPassword(client, credentials, { email: o.auth.email, password: o.auth.password, deviceId }).catch(fail('sign-in'));
    o.log(`signed in as ${o.auth.email} on ${serverUrl}`);
  } else if (!stored || stored.serverUrl !== serverUrl) {
    throw new ConnectError('credential', serverUrl, null, `not enrolled on ${serverUrl}: set STINT_ENROLLMENT_TOKEN, or STINT_EMAIL and STINT_PASSWORD`);
  }
  rememberServer(o.dataDir, serverUrl);
  const cache = fileCatalogCache(join(serverDir, 'catalog.json'));
  let catalog = cache.load();
  try {
    // With a cached catalog the tracker does not wait long for a fresh one (a black-holed network
    // must not hold capture back); the engine pulls it again in the background.
    const signal = catalog && o.auth.kind === 'stored' ? AbortSignal.timeout(CACHED_CATALOG_WAIT_MS) : undefined;
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
    ...(o.device ? { device: o.device } : {}),
    ...(o.catalogPullMs ? { catalogPullMs: o.catalogPullMs } : {}),
    onCatalog: (c) => {
      policy = c.me.policy;
      o.onCatalog?.(c);
    },
  });
  return {
    serverUrl,
    deviceId: credentials.load()!.deviceId,
    ports: { clock: { ...systemClock, now: () => clock.now() }, sync: sync.port },
    projects: toProjects(catalog),
    policy,
    sync,
    me: catalog?.me ?? null,
    fleet: () => client.fleet(AbortSignal.timeout(FLEET_WAIT_MS)),
    signOut: async () => {
      const held = credentials.load();
      if (held?.kind === 'user') {
        await client.logout(held.refreshToken, LOGOUT_WAIT_MS).then(
          () => o.log(`ended the session on ${serverUrl}`),
          (err: unknown) => o.log(`could not end the session on ${serverUrl} (${toHttpFailure(err).reason}): its refresh token is forgotten here and expires on the server`),
        );
      }
      vault.forget(serverDir);
      forgetServer(o.dataDir, serverUrl);
    },
  };
}

/**
 * Wire the agent to a server from its environment: enroll (STINT_ENROLLMENT_TOKEN) or sign in
 * (STINT_EMAIL + STINT_PASSWORD) on the first run on each server, else use the stored credential.
 * Returns null when no server is configured: the tracker then runs offline until someone signs in.
 */
export async function prepareAgentSync(o: { dataDir: string; env: AgentSyncEnv; deviceName: string; log: (line: string) => void; onCatalog?: (catalog: Catalog) => void; vault?: CredentialVault; managed?: ManagedPolicy | null; device?: DeviceFacts }): Promise<ServerConnection | null> {
  adoptLegacyServerFiles(o.dataDir);
  const managed = o.managed ?? null;
  // IT's policy file: a locked server always; else the environment, then the last server used, then the file's.
  const serverUrl = lockedServerUrl(managed) ?? o.env.STINT_SERVER_URL ?? lastServerUrl(o.dataDir) ?? managed?.serverUrl;
  if (!serverUrl) return null;
  const stored = (o.vault ?? fileCredentialVault).forServer(serverDataDir(o.dataDir, serverUrl)).load();
  // Silent enrollment on the first run on the file's server, from the file's token.
  const token = o.env.STINT_ENROLLMENT_TOKEN ?? (serverUrl === managed?.serverUrl ? managed.enrollmentToken : undefined);
  const auth: ServerAuth =
    stored?.serverUrl === serverUrl
      ? { kind: 'stored' }
      : token
        ? { kind: 'enroll', token }
        : o.env.STINT_EMAIL && o.env.STINT_PASSWORD
          ? { kind: 'password', email: o.env.STINT_EMAIL, password: o.env.STINT_PASSWORD }
          : { kind: 'stored' };
  return connectToServer({ ...o, serverUrl, auth, catalogPullMs: catalogPullMs(o.env) });
}
