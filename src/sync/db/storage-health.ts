/**
 * Writes the outbox could not make (a full disk above all). They are reported in status and in
 * the log, never fatal: time keeps being tracked in memory and the write is tried again.
 */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || /disk is full|ENOSPC/i.test(String((err as Error)?.message ?? err));
}

export function describeStorageError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return isDiskFull(err) ? `disk full: ${message}` : `cannot write the outbox: ${message}`;
}

/** What kind of write failed: each kind is healthy again only when a write of that kind succeeds. */
export type StorageWrite = 'heartbeat' | 'activity';

export interface StorageHealth {
  failed(kind: StorageWrite, what: string, err: unknown): void;
  ok(kind: StorageWrite): void;
  error(): string | null;
}

export function createStorageHealth(log: (line: string) => void): StorageHealth {
  const failing = new Map<StorageWrite, string>();
  return {
    failed(kind, what, err) {
      const reason = describeStorageError(err);
      if (failing.get(kind) !== reason) log(`${what} not saved (${reason}); tracking goes on and the write is tried again`);
      failing.set(kind, reason);
    },
    ok(kind) {
      if (!failing.delete(kind)) return;
      log(`${kind} writes reach the outbox again`);
    },
    error: () => failing.values().next().value ?? null,
  };
}
