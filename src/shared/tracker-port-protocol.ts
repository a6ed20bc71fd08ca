import { z } from 'zod';
import { trackerErrorSchema, trackerEventSchema } from './tracker-api';

/**
 * The messages between the Electron main process and the tracker core process (one MessagePort,
 * or a forked child's IPC channel in tests). Calls and results carry the TrackerApi table;
 * `host` messages carry what only the shell can see (power state, network hint) and `ask` lets
 * the core pull the OS idle time from the shell's powerMonitor, or read (and with `set`, change)
 * the shell's login item (macOS, Windows); a login-item answer is 1 when it is on, 0 when off, -1 when the shell cannot read it.
 */
export const hostSignalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('power'), state: z.enum(['lock', 'unlock', 'suspend', 'resume']), at: z.number() }),
  z.object({ type: z.literal('online'), online: z.boolean() }),
  z.object({ type: z.literal('capture-blocked'), reason: z.string().nullable() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type HostSignal = z.infer<typeof hostSignalSchema>;

export const portMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.number().int(), method: z.string(), input: z.unknown() }),
  z.object({ kind: z.literal('result'), id: z.number().int(), output: z.unknown() }),
  z.object({ kind: z.literal('failure'), id: z.number().int(), error: trackerErrorSchema }),
  z.object({ kind: z.literal('event'), event: trackerEventSchema }),
  z.object({ kind: z.literal('host'), signal: hostSignalSchema }),
  z.object({ kind: z.literal('ask'), id: z.number().int(), what: z.enum(['idle-ms', 'login-item']), set: z.boolean().optional() }),
  z.object({ kind: z.literal('answer'), id: z.number().int(), value: z.number() }),
  z.object({ kind: z.literal('ready') }),
  /** main → core before anything else when main keeps the credentials (safeStorage): what it holds, per server folder. */
  z.object({ kind: z.literal('vault-seed'), entries: z.array(z.object({ serverDir: z.string(), credentials: z.unknown() })) }),
  /** core → main: a credential saved (rotated refresh token, new enrollment) or forgotten (null). */
  z.object({ kind: z.literal('vault-write'), serverDir: z.string(), credentials: z.unknown() }),
  z.object({ kind: z.literal('stopped'), clean: z.boolean() }),
]);
export type PortMessage = z.infer<typeof portMessageSchema>;
