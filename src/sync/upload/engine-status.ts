import type { TrackerStatus } from '../../shared/tracker-api';

export type SyncState = TrackerStatus['sync']['state'];

/** The engine's own counters (epoch-ms times); the tracker maps it to the port's SyncStatus. */
export interface EngineSnapshot {
  state: SyncState;
  /** Epoch ms (device clock) of the last confirmed upload or push. */
  lastSuccessAt: number | null;
  lastError: string | null;
  /** Uploads and ops confirmed since the engine started. */
  uploaded: number;
  inFlight: number;
}

export interface SyncProgress {
  uploaded: number;
  remaining: number;
  bytesPending: number;
}

export type SyncEvent = { type: 'status'; status: EngineSnapshot } | { type: 'progress'; progress: SyncProgress };

/** Small observable holder: the tracker reads `snapshot` for status.get and forwards events to the UI. */
export class EngineStatus {
  private value: EngineSnapshot = { state: 'idle', lastSuccessAt: null, lastError: null, uploaded: 0, inFlight: 0 };
  private listeners = new Set<(event: SyncEvent) => void>();

  get snapshot(): EngineSnapshot {
    return { ...this.value };
  }

  on(listener: (event: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(patch: Partial<EngineSnapshot>): void {
    const before = this.value;
    this.value = { ...before, ...patch };
    if (before.state !== this.value.state || before.lastError !== this.value.lastError) this.emit({ type: 'status', status: this.snapshot });
  }

  progress(progress: SyncProgress): void {
    this.emit({ type: 'progress', progress });
  }

  private emit(event: SyncEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed UI window) must not stop uploads.
      }
    }
  }
}
