import { TrackerError, type TrackerEvent, type TrackerSession } from '../../shared/tracker-api';
import { POLICY_FILE_LOCK_REASON } from '../../shared/managed-policy';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Catalog } from '../catalog/catalog-cache';
import type { Tracker } from '../tracker-types';
import { ConnectError, connectToServer, type ServerAuth, type ServerConnection } from './agent-session';
import type { SessionHandlers } from './session-handlers';
import { fleetHandlers } from './fleet-handlers';
import type { CredentialVault } from './credential-vault';
import type { DeviceFacts } from '../upload/device-report';
import { readOutboxOwner, writeOutboxOwner, type OutboxOwner } from './outbox-owner';
import { createManagerHandlers } from '../manager/manager-handlers';

/** The server's origin and the ones it says its images come from (a catalog cached before it said so has none). */
const imageOrigins = (c: ServerConnection): string[] => [...new Set([new URL(c.serverUrl).origin, ...(c.me?.imageOrigins ?? [])])];

const toProjects = (c: Catalog['me'] | null, projects: ServerConnection['projects']) => (c ? projects : []);

/** The reason a sign-in or enrollment failed, in words a person acts on. */
function connectFailure(err: unknown): TrackerError {
  if (!(err instanceof ConnectError)) return new TrackerError('internal', (err as Error).message);
  if (err.status === null) return new TrackerError('unavailable', `cannot reach the server at ${err.serverUrl}: ${err.reason}`);
  if (err.what === 'sign-in' && err.status === 401) return new TrackerError('failed_precondition', `wrong email or password (${err.reason})`);
  if (err.what === 'enrollment' && (err.status === 401 || err.status === 403 || err.status === 404 || err.status === 410))
    return new TrackerError('failed_precondition', `the enrollment token was refused: it is wrong, expired, revoked or used up (${err.reason})`);
  return new TrackerError('failed_precondition', err.message);
}

/**
 * Who the tracker is signed in as, and the sign-in, enrollment and sign-out the window asks for.
 * Tokens stay here and in the credential files: the session the window sees has none.
 */
export function createSessionService(o: { dataDir: string; deviceName: string; log: (line: string) => void; vault?: CredentialVault; lockedServerUrl?: string | null; device?: DeviceFacts; catalogPullMs?: number }) {
  let current: ServerConnection | null = null;
  let tracker: Pick<Tracker, 'connectSync' | 'disconnectSync' | 'updateCatalog' | 'handlers'> | null = null;
  const listeners = new Set<(e: TrackerEvent) => void>();
  let offSync: (() => void) | null = null;
  const follow = (c: ServerConnection | null) => {
    offSync?.();
    offSync = c ? c.sync.on((e) => listeners.forEach((l) => l(e))) : null;
  };
  /** Records not on the server yet: screenshots, ops and dead letters. */
  const pending = async () => {
    if (!tracker) return 0;
    const { queue } = await tracker.handlers['status.get']({});
    return queue.screenshots + queue.ops + queue.dead;
  };
  const view = (): TrackerSession =>
    current?.me
      ? {
          state: 'signed-in',
          user: { id: current.me.user.id, email: current.me.user.email, name: current.me.user.name },
          role: current.me.user.role,
          org: { id: current.me.org.id, name: current.me.org.name },
          serverUrl: current.serverUrl,
          imageOrigins: imageOrigins(current),
        }
      : { state: 'signed-out' };
  const onCatalog = (c: Catalog) => tracker?.updateCatalog({ projects: c.projects.filter((p) => !p.archived).map((p) => ({ id: p.id, name: p.name, tasks: p.tasks.filter((t) => !t.archived).map((t) => ({ id: t.id, name: t.name })) })), policy: c.me.policy });

  /** Records of another server or user must never be sent under this sign-in. */
  const guardOwner = async (next: OutboxOwner) => {
    const owner = readOutboxOwner(o.dataDir);
    const waiting = await pending();
    if (owner && waiting > 0 && (owner.serverUrl !== next.serverUrl || owner.userId !== next.userId))
      throw new TrackerError(
        'failed_precondition',
        `${waiting} records of ${owner.email} on ${owner.serverUrl} are not on the server yet: sign in as ${owner.email} there first, so they are not sent to another account`,
      );
  };

  async function connect(serverUrl: string, auth: ServerAuth): Promise<TrackerSession> {
    if (!tracker) throw new TrackerError('unavailable', 'the tracker is still starting');
    if (o.lockedServerUrl && serverUrl !== o.lockedServerUrl)
      throw new TrackerError('failed_precondition', `${POLICY_FILE_LOCK_REASON}: this device signs in only to ${o.lockedServerUrl}`, [{ path: 'serverUrl', message: `${POLICY_FILE_LOCK_REASON}: use ${o.lockedServerUrl}` }]);
    // Checked before any credential is replaced, where the account is known up front.
    const owner = readOutboxOwner(o.dataDir);
    if (owner && (owner.serverUrl !== serverUrl || (auth.kind === 'password' && owner.email.toLowerCase() !== auth.email.toLowerCase())))
      await guardOwner({ serverUrl, userId: '', email: auth.kind === 'password' ? auth.email : '' });
    const next = await connectToServer({ dataDir: o.dataDir, serverUrl, deviceName: o.deviceName, auth, log: o.log, onCatalog, ...(o.vault ? { vault: o.vault } : {}), ...(o.device ? { device: o.device } : {}), ...(o.catalogPullMs ? { catalogPullMs: o.catalogPullMs } : {}) }).catch((err) => {
      throw connectFailure(err);
    });
    if (!next.me) throw new TrackerError('unavailable', `signed in, but ${serverUrl} did not say who you are: try again`);
    try {
      await guardOwner({ serverUrl, userId: next.me.user.id, email: next.me.user.email });
    } catch (err) {
      await next.signOut();
      throw err;
    }
    const projects = toProjects(next.me, next.projects);
    // Time tracked on a project this server does not have (the local one) cannot go on under it:
    // the entry ends now and stays on this device, in today's totals.
    const { running } = await tracker.handlers['status.get']({});
    if (running && !projects.some((p) => p.id === running.projectId)) {
      await tracker.handlers['timer.stop']({});
      o.log(`signed in to ${serverUrl}: the timer on project ${running.projectId} stopped (not a project there); its time stays on this device`);
    }
    // Before the first sign-in on this device, everything was tracked on local projects.
    await tracker.connectSync(next.ports.sync, { projects, policy: next.policy, serverUrl }, { localOnly: readOutboxOwner(o.dataDir) === null });
    writeOutboxOwner(o.dataDir, { serverUrl, userId: next.me.user.id, email: next.me.user.email });
    current = next;
    follow(next);
    return view();
  }

  /** The tracker's clock: the server-corrected one while signed in, the device's otherwise. */
  const clock: Clock = { ...systemClock, now: () => current?.ports.clock.now() ?? Date.now() };
  const manager = createManagerHandlers({
    connection: () => (current ? { serverUrl: current.serverUrl, me: current.me, client: current.sync.stack?.client ?? null } : null),
    now: () => clock.now(),
  });

  const handlers: SessionHandlers = {
    ...fleetHandlers(() => current),
    ...manager,
    async 'session.get'() {
      return view();
    },
    async 'session.signIn'({ serverUrl, email, password }) {
      return connect(serverUrl, { kind: 'password', email, password });
    },
    async 'session.enroll'({ serverUrl, token }) {
      return connect(serverUrl, { kind: 'enroll', token });
    },
    async 'session.signOut'({ confirm }) {
      if (!current) return view();
      const waiting = await pending();
      if (waiting > 0 && !confirm)
        throw new TrackerError(
          'failed_precondition',
          `${waiting} records are not on the server yet. Sign out anyway to keep them queued on this device; they are sent when ${current.me?.user.email ?? 'you'} sign in to ${current.serverUrl} again`,
        );
      const leaving = current;
      current = null;
      follow(null);
      await tracker?.disconnectSync({ serverUrl: null });
      await leaving.signOut();
      o.log(`signed out of ${leaving.serverUrl}${waiting ? ` (${waiting} records kept queued)` : ''}`);
      return view();
    },
  };

  return {
    handlers,
    clock,
    /** Adopt the connection the agent made at start-up (from its environment or a stored credential). */
    adopt(c: ServerConnection | null) {
      current = c;
      follow(c);
      if (c?.me) writeOutboxOwner(o.dataDir, { serverUrl: c.serverUrl, userId: c.me.user.id, email: c.me.user.email });
    },
    bind(t: NonNullable<typeof tracker>) {
      tracker = t;
    },
    onCatalog,
    /** Origins the window's images come from (the signed-in server and its blob store), for its CSP img-src. */
    imageOrigins: () => (current ? imageOrigins(current) : []),
    on(listener: (e: TrackerEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
