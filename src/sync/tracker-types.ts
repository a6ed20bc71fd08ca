import type { LoginItem } from './settings/login-item';
import type { CapturePolicy } from '../shared/policy';
import type { TrackerApi, TrackerEvent, TrackerHandlers, TrackerStatus } from '../shared/tracker-api';
import type { UploadQueue } from './db/outbox-port';
import type { Clock } from './clock';
import type { RecoveryReport } from './recovery/recover';
import type { ActiveWindow, IdleSource } from './activity/ports';
import type { EncodeOptions } from './capture/encoder';
import type { CapturerSpec } from './capture/capturer';
import type { ManagedPolicyState } from './policy/managed-policy-source';

/** The shapes createTracker takes and returns (ports in, TrackerApi out). */

/**
 * The TrackerApi's session methods (sign-in, enroll, sign-out) and the manager's and IT's reads that go out
 * with that session (the team's timeline, the fleet view), served by the host that can sign in.
 */
export type SessionHandlers = Pick<
  TrackerHandlers,
  'session.get' | 'session.signIn' | 'session.enroll' | 'session.signOut' | 'manager.members' | 'manager.timeline' | 'manager.totals' | 'manager.now' | 'manager.exportCsv' | 'manager.fullImage' | 'fleet.list'
>;

export interface SyncStatus {
  state: TrackerStatus['sync']['state'];
  lastSuccessAt: string | null;
  lastError: string | null;
}

/** Where the sync engine plugs in. Without it the tracker works fully offline ('signed-out'). */
export interface SyncPort {
  start(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Called after dead letters were requeued, so the engine can try at once. */
  retry?(id?: string): void;
  /** Called when a new screenshot is durable in the outbox, so the engine uploads it without waiting for its next poll. */
  notify?(): void;
  /** At a clean stop: try for up to `ms` to send what is waiting in ops (the closed entry, the last minute). */
  flush?(ms: number): Promise<boolean>;
  /** The shell says the network is back (Electron's net.isOnline): probe now rather than at the next backoff step. */
  networkUp?(): void;
}

/** What the tracker hands the sync port it plugs in. */
export interface SyncOutbox {
  queue: UploadQueue;
  dataDir: string;
  /** The policy's review window now, for a queue the port opens on its own connection. */
  reviewMs?: () => number;
  /** The engine's state or progress changed: the tracker emits its status again (the window's sync line). */
  changed?: () => void;
}

export interface TrackerPorts {
  clock?: Clock;
  random?: () => number;
  /** Runs inside the capture worker thread (see capture/capturer.ts). */
  capturer: CapturerSpec;
  idle: IdleSource;
  windows: ActiveWindow;
  log?: (line: string) => void;
  /** Why capture must not run now (set by a shell: locked screen, sleep, missing OS permission), else null. */
  capturePaused?: () => string | null;
  sync?: (outbox: SyncOutbox) => SyncPort;
  /** Start at login (Settings); without one the switch says this host has none. */
  loginItem?: LoginItem;
}

export interface Project {
  id: string;
  name: string;
  tasks: Array<{ id: string; name: string }>;
}

export interface TrackerConfig {
  dataDir: string;
  policy?: Partial<CapturePolicy>;
  projects: Project[];
  deviceName?: string;
  serverUrl?: string | null;
  encode?: Partial<EncodeOptions>;
  /** IT's policy file as read at start-up (src/sync/policy): its locked fields win over every policy update. */
  managed?: ManagedPolicyState | null;
}

export interface Tracker {
  /** Validating facade: what IPC, the HTTP bridge and tests call. */
  api: TrackerApi;
  handlers: TrackerHandlers;
  on(listener: (e: TrackerEvent) => void): () => void;
  queue: UploadQueue;
  recovery: RecoveryReport;
  /** Capture all displays now (the scheduler calls this while the timer runs). */
  captureNow(): Promise<number>;
  /** The session methods of the TrackerApi (sign-in, enroll, sign-out), from the host that can sign in. */
  useSession(handlers: SessionHandlers): void;
  /**
   * Signed in while running: the sync engine plugs in with the server's projects and policy.
   * `localOnly`: what was tracked before on projects the server does not have stays on this device.
   */
  connectSync(make: NonNullable<TrackerPorts['sync']>, catalog: CatalogUpdate, options?: { localOnly?: boolean }): Promise<void>;
  /** Signed out: the engine stops (after a short try to send what waits); queued records stay in the outbox. */
  disconnectSync(catalog?: CatalogUpdate): Promise<void>;
  /** A network hint from the shell. Only "back online" acts (a probe now); the engine finds out it is offline by itself. */
  networkHint(online: boolean): void;
  /** A policy or project list pulled from the server while running applies at once, no restart. */
  updateCatalog(catalog: CatalogUpdate): void;
  /** Flush the minute, close the running entry ('shutdown'), stop workers, close the database. */
  shutdown(): Promise<void>;
}

export interface CatalogUpdate {
  projects?: Project[];
  policy?: Partial<CapturePolicy>;
  serverUrl?: string | null;
}
