import type { DeviceReport } from '../../shared/http/fleet';
import type { ServerClient } from '../api/server-client';
import type { EngineOutcomes } from './engine-outcomes';
import type { EngineStatus } from './engine-status';
import type { UploadQueue } from '../db/outbox-port';
import type { SyncGate } from './sync-gate';
import type { Clock } from '../clock';
import type { WakeSignal } from './wake-signal';

/** What the engine's workers share. */
export interface EngineContext {
  queue: UploadQueue;
  client: ServerClient;
  timers: Clock;
  signal: AbortSignal;
  status: EngineStatus;
  gate: SyncGate;
  wakes: WakeSignal;
  outcomes: EngineOutcomes;
  leaseMs: number;
  /** How often an idle worker looks for due rows (a wake looks at once). */
  idlePollMs: number;
  /** The device's version and queue figures for the fleet view, sent with each push (the ops of that push left out). */
  deviceReport?: (sending: readonly string[]) => DeviceReport;
}

/** Count `fn` as work in flight (the 'syncing' state) while it runs. */
export async function inFlight(ctx: EngineContext, fn: () => Promise<void>): Promise<void> {
  ctx.status.update({ inFlight: ctx.status.snapshot.inFlight + 1 });
  ctx.gate.refresh();
  try {
    await fn();
  } finally {
    ctx.status.update({ inFlight: ctx.status.snapshot.inFlight - 1 });
    ctx.gate.refresh();
  }
}

/**
 * Run a worker's step until the engine stops. A step that throws (a busy or failing outbox, a file
 * that cannot be removed) is reported and tried again after an idle poll: a worker never ends
 * early, so one bad moment cannot silently take sync down for the rest of the session.
 */
export async function workerLoop(ctx: EngineContext, step: () => Promise<void>): Promise<void> {
  while (!ctx.signal.aborted) {
    try {
      await step();
    } catch (err) {
      if (ctx.signal.aborted) return;
      ctx.status.update({ lastError: `sync hit an error and goes on: ${(err as Error).message}` });
      await ctx.wakes.idle(ctx.idlePollMs);
    }
  }
}
