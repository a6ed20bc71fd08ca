import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import type { TrackerEvent } from '../../shared/tracker-api';
import type { CapturerSpec } from '../capture/capturer';
import type { ActiveWindow } from '../activity/ports';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { createHostPresence } from '../activity/host-presence';
import { servePort, type PortChannel } from '../port-bridge/port-transport';
import { createTracker } from '../tracker';
import { hostLoginItem, type LoginItemEnv } from '../settings/host-login-item';
import { whenWritable } from '../db/when-writable';
import { ConnectError, prepareAgentSync, type AgentSyncEnv } from '../session/agent-session';
import { createSessionService } from '../session/session-service';
import type { CredentialVault } from '../session/credential-vault';
import type { Project, Tracker } from '../tracker-types';

export interface CoreOptions {
  channel: PortChannel;
  dataDir: string;
  capturer: CapturerSpec;
  windows: ActiveWindow;
  env: AgentSyncEnv & LoginItemEnv;
  projects: Project[];
  clock?: Clock;
  vault?: CredentialVault;
  log: (line: string) => void;
  /** After a `shutdown` from the shell (the process exits here). */
  onStopped?(clean: boolean): void;
}

/**
 * The tracker core as its own process (Electron utilityProcess): the same createTracker and
 * session service as the agent, served over one port. Idle time is asked of the shell
 * (powerMonitor), power and permission signals pause capture, `shutdown` closes the running
 * entry and flushes the outbox before the process says `stopped`.
 */
export async function runCore(o: CoreOptions): Promise<{ tracker: Tracker; stop(): Promise<boolean> }> {
  const clock = o.clock ?? systemClock;
  mkdirSync(o.dataDir, { recursive: true });
  let stop: () => Promise<boolean> = async () => true;
  let hinted: Tracker | null = null;
  const presence = createHostPresence({ now: () => clock.now(), osIdleMs: () => served.askIdleMs() });
  const served = servePort(o.channel, {
    log: o.log,
    onHost(signal) {
      presence.apply(signal);
      if (signal.type === 'online') {
        o.log(`network ${signal.online ? 'up' : 'down'} (hint from the shell)`);
        hinted?.networkHint(signal.online);
      }
      if (signal.type === 'shutdown') void stop().then((clean) => {
          o.channel.post({ kind: 'stopped', clean });
          o.onStopped?.(clean);
        });
    },
  });
  // The desktop app opens hidden in the tray when the system starts it.
  const loginItem = hostLoginItem({ platform: process.platform, env: o.env, askShell: (set) => served.askLoginItem(set), args: ['--hidden'] });
  const vault = o.vault ? { vault: o.vault } : {};
  const session = createSessionService({ dataDir: o.dataDir, deviceName: hostname(), log: o.log, ...vault });
  const sync = await prepareAgentSync({ dataDir: o.dataDir, env: o.env, deviceName: hostname(), log: o.log, onCatalog: session.onCatalog, ...vault }).catch((err: Error) => {
    if (err instanceof ConnectError && err.what === 'credential') return null;
    o.log(`cannot set up sync (${err.message}); starting signed out`);
    return null;
  });
  session.adopt(sync);
  const tracker = await whenWritable(
    () =>
      createTracker(
        { capturer: o.capturer, idle: presence.idle, windows: o.windows, log: o.log, clock: sync ? session.clock : clock, capturePaused: presence.capturePaused, loginItem, ...(sync ? { sync: sync.ports.sync } : {}) },
        { dataDir: o.dataDir, projects: sync?.projects.length ? sync.projects : o.projects, policy: sync?.policy, deviceName: hostname(), serverUrl: sync?.serverUrl ?? null },
      ),
    { clock: systemClock, log: o.log },
  );
  session.bind(tracker);
  tracker.useSession(session.handlers);
  hinted = tracker;
  served.attach(tracker.handlers, (listener: (e: TrackerEvent) => void) => {
    const offs = [tracker.on(listener), session.on(listener)];
    return () => offs.forEach((off) => off());
  });
  let stopping: Promise<boolean> | null = null;
  stop = () =>
    (stopping ??= tracker.shutdown().then(
      () => true,
      (err: Error) => {
        o.log(`stopping the tracker failed: ${err.message}`);
        return false;
      },
    ).finally(() => served.close()));
  return { tracker, stop: () => stop() };
}
