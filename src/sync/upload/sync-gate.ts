import type { BlobUploader } from '../api/blob-upload';
import type { CredentialStore } from '../api/credential-store';
import type { ServerClient } from '../api/server-client';
import type { EngineStatus } from './engine-status';
import type { FailureTarget } from './job-failure';
import { OnlineMonitor, defaultProbePolicy, type ProbePolicy } from './online-state';
import type { Clock } from '../clock';

interface SyncGateDeps {
  client: ServerClient;
  blob: BlobUploader;
  credentials: CredentialStore;
  timers: Clock;
  status: EngineStatus;
  probe?: ProbePolicy;
  signal: AbortSignal;
}

/**
 * Whether sync may run: a usable credential (else 'signed-out' or 'paused' until `signedIn()`),
 * the API answering, and for uploads the blob store answering (each origin has its own probe).
 * Keeps the engine's state in the status.
 */
export class SyncGate {
  readonly api: OnlineMonitor;
  private readonly blobs = new Map<string, OnlineMonitor>();
  private blobOrigin: string | null = null;
  private resumers: Array<() => void> = [];
  private device: string | null = null;
  /** Not before these instants (a Retry-After): the API for every worker, a blob origin for uploads. */
  private apiHeldUntil = 0;
  private readonly blobHeldUntil = new Map<string, number>();

  constructor(private readonly deps: SyncGateDeps) {
    this.api = new OnlineMonitor(() => deps.client.probe(), deps.timers, deps.probe ?? defaultProbePolicy, this.refresh, deps.signal);
  }

  /** The enrolled device's id; only read after `wait()` let a worker through. */
  get deviceId(): string {
    if (this.device === null) throw new Error('sync has no device credential');
    return this.device;
  }

  get probes(): number {
    return this.api.probes + [...this.blobs.values()].reduce((n, m) => n + m.probes, 0);
  }

  loadDevice(): void {
    this.device = this.deps.credentials.load()?.deviceId ?? null;
  }

  /** Where presigned PUTs go: from now on uploads also wait for it to answer. */
  setBlobOrigin(origin: string): void {
    this.blobOrigin = origin;
  }

  blobMonitor(origin: string): OnlineMonitor {
    let monitor = this.blobs.get(origin);
    if (!monitor) {
      const { blob, timers, probe, signal } = this.deps;
      monitor = new OnlineMonitor(() => blob.probe(origin), timers, probe ?? defaultProbePolicy, this.refresh, signal);
      this.blobs.set(origin, monitor);
    }
    return monitor;
  }

  readonly refresh = (): void => {
    const { client, status } = this.deps;
    const blobDown = this.blobOrigin !== null && !this.blobMonitor(this.blobOrigin).online;
    const state =
      this.device === null
        ? 'signed-out'
        : client.session.signInRequired
          ? 'paused'
          : !this.api.online || blobDown
            ? 'offline'
            : status.snapshot.inFlight > 0
              ? 'syncing'
              : 'idle';
    status.update({ state });
  };

  /** The server asked for a pause: no worker talks to `target` before `until`. */
  hold(target: FailureTarget, until: number): void {
    if (target === 'api') this.apiHeldUntil = Math.max(this.apiHeldUntil, until);
    else this.blobHeldUntil.set(target.origin, Math.max(this.blobHeldUntil.get(target.origin) ?? 0, until));
  }

  private heldUntil(forUploads: boolean): number {
    const blob = forUploads && this.blobOrigin !== null ? (this.blobHeldUntil.get(this.blobOrigin) ?? 0) : 0;
    return Math.max(this.apiHeldUntil, blob);
  }

  /** Resolves once sync may run; rejects when the engine stops. */
  async wait(forUploads: boolean): Promise<void> {
    const { signal, client } = this.deps;
    for (;;) {
      signal.throwIfAborted();
      if (this.device === null || client.session.signInRequired) {
        this.refresh();
        await this.untilSignedIn();
      } else if (!this.api.online) await this.api.whenOnline(signal);
      else if (forUploads && this.blobOrigin !== null && !this.blobMonitor(this.blobOrigin).online) {
        await this.blobMonitor(this.blobOrigin).whenOnline(signal);
      } else if (this.heldUntil(forUploads) > this.deps.timers.now()) {
        await this.deps.timers.sleep(this.heldUntil(forUploads) - this.deps.timers.now(), signal);
      } else return;
    }
  }

  /** A new credential was stored: reload it and let paused workers go. */
  signedIn(): void {
    this.loadDevice();
    this.deps.client.session.signedIn();
    const current = this.resumers;
    this.resumers = [];
    for (const resume of current) resume();
    this.refresh();
  }

  nudge(): void {
    this.api.nudge();
    for (const m of this.blobs.values()) m.nudge();
  }

  private untilSignedIn(): Promise<void> {
    const { signal } = this.deps;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.resumers = this.resumers.filter((r) => r !== resume);
        reject(signal.reason);
      };
      const resume = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.resumers.push(resume);
    });
  }
}
