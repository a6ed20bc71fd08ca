import { MessageChannelMain, utilityProcess, type UtilityProcess } from 'electron';
import type { HostSignal } from '../shared/tracker-port-protocol';
import type { TrackerApi, TrackerEvent } from '../shared/tracker-api';
import { createPortClient, type PortClient } from '../sync/port-bridge/port-transport';
import { messagePortChannel } from '../sync/port-bridge/process-channel';
import { crashReason, createRestartPolicy } from './restart-policy';
import type { ShellVaultHost } from './shell-vault-host';
import { portMessageSchema } from '../shared/tracker-port-protocol';

export interface CoreHostOptions {
  entry: string;
  dataDir: string;
  idleMs(): number;
  /** Answers the core's login-item question (macOS, Windows). */
  loginItem(set: boolean | undefined): boolean;
  /** What the core needs to know about login items (see autostart.ts). */
  loginItemEnv: Record<string, string>;
  onEvent(e: TrackerEvent): void;
  /** The core is up again (null) or down with this reason. */
  onHealth(problem: string | null): void;
  log(line: string): void;
  /** Main keeps the credentials (safeStorage): the core gets them over the port. Without it, the core's 0600 files. */
  vault?: ShellVaultHost | null;
}

/**
 * Runs the tracker core in a utilityProcess with one MessagePort to it, restarts it with backoff
 * when it dies (saying why), and stops it cleanly at quit: `shutdown` makes the core close the
 * running entry and flush the outbox, then it answers `stopped`.
 */
export function startCoreHost(o: CoreHostOptions) {
  const policy = createRestartPolicy({ now: Date.now });
  let child: UtilityProcess | null = null;
  let client: PortClient | null = null;
  let quitting = false;
  const lastSignals = new Map<string, HostSignal>();

  const spawn = () => {
    const { port1, port2 } = new MessageChannelMain();
    child = utilityProcess.fork(o.entry, [], {
      serviceName: 'Stint tracker core',
      stdio: 'inherit',
      // A .ts entry (the dev layout) runs under tsx, as the agent does.
      execArgv: o.entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      env: { ...process.env, ...o.loginItemEnv, STINT_DATA_DIR: o.dataDir, ...(o.vault ? { STINT_VAULT: 'shell' } : {}) },
    });
    child.postMessage({ kind: 'port' }, [port2]);
    const channel = messagePortChannel(port1);
    if (o.vault) {
      const vault = o.vault;
      channel.post({ kind: 'vault-seed', entries: vault.seed() });
      channel.onMessage((raw) => {
        const m = portMessageSchema.safeParse(raw);
        if (m.success && m.data.kind === 'vault-write') vault.write(m.data.serverDir, m.data.credentials);
      });
    }
    const c = createPortClient(channel, { idleMs: o.idleMs, loginItem: o.loginItem, log: o.log });
    client = c;
    c.onEvent(o.onEvent);
    policy.started();
    void c.ready.then(() => {
      for (const s of lastSignals.values()) c.host(s);
      o.onHealth(null);
    });
    child.once('exit', (code) => {
      c.failAll('the tracker core stopped');
      c.close();
      port1.close();
      client = null;
      child = null;
      if (quitting) return;
      const delay = policy.crashed();
      const reason = crashReason({ code }, delay);
      o.log(reason);
      o.onHealth(reason);
      setTimeout(spawn, delay);
    });
  };
  spawn();

  return {
    api: (): TrackerApi | null => client?.api ?? null,
    /** Remembered, and sent again to a restarted core (lock state, permission, online hint). */
    signal(s: HostSignal): void {
      lastSignals.set(s.type === 'power' ? 'power' : s.type, s);
      client?.host(s);
    },
    /** Quit: the core closes the running entry and flushes the outbox; killed after `graceMs`. */
    stop(graceMs = 8_000): Promise<void> {
      quitting = true;
      const c = child;
      if (!c || !client) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => c.kill(), graceMs);
        c.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        client!.host({ type: 'shutdown' });
      });
    },
  };
}
export type CoreHost = ReturnType<typeof startCoreHost>;
