/**
 * Headless agent: the tracker core under plain Node on an X11 display, with the loopback HTTP
 * bridge for a browser UI. Prints a line per capture and per minute of activity; SIGINT/SIGTERM
 * flush the minute, close the running entry and exit.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LOCAL_PROJECT, parseAgentOptions, USAGE } from './agent-options';
import { startBridge } from './http-bridge';
import { createTracker } from '../tracker';
import { hostLoginItem } from '../settings/host-login-item';
import { systemClock } from '../clock';
import { whenWritable } from '../db/when-writable';
import { startX11Probe } from '../activity/x11-probe';
import { defaultCapturerModule } from '../capture/capture-worker-client';
import { catalogPullMs, ConnectError, prepareAgentSync } from '../session/agent-session';
import { createSessionService } from '../session/session-service';
import { loadManagedPolicy } from '../policy/managed-policy-source';
import { policyFilePath } from '../policy/policy-file-path';
import { lockedServerUrl } from '../policy/managed-layer';
import { appVersion } from '../app-version';
import type { TrackerEvent } from '../../shared/tracker-api';

const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const fail = (message: string, code = 2): never => {
  console.error(`stint agent: ${message}`);
  process.exit(code);
};

let opts: ReturnType<typeof parseAgentOptions>;
try {
  opts = parseAgentOptions(process.argv.slice(2), process.env);
} catch (err) {
  fail((err as Error).message === USAGE ? USAGE : `${(err as Error).message}\n${USAGE}`);
}
const options = opts!;
if (!options.display)
  fail('no X display: DISPLAY is not set. Run it inside an X session, or start one: Xvfb :99 & DISPLAY=:99 npm run agent');
const display = options.display!;

const probe = startX11Probe({ display });
await probe.ready.catch((err: Error) => fail(`cannot use X display ${display}: ${err.message}`));

mkdirSync(options.dataDir, { recursive: true });
// IT's machine-wide policy file: a bad one runs on its last good copy; with none, the agent cannot run as IT meant it to.
const managed = await loadManagedPolicy({ path: policyFilePath(process.platform, process.env), dataDir: options.dataDir });
if (managed.error && !managed.policy) fail(managed.error);
if (managed.error) say(managed.error);
else if (managed.policy) say(`policy file ${managed.path} applied${managed.policy.locked?.length ? ` (locked: ${managed.policy.locked.join(', ')})` : ''}`);
// With STINT_SERVER_URL (or an earlier enrollment in the data dir) the sync engine plugs in;
// without, the tracker runs fully offline on a local project.
// Not enrolled on that server and no token given: start signed out; the window can sign in or enroll.
// What each push tells IT's fleet view about this device.
const device = { appVersion: appVersion(), policyError: () => managed.error };
const session = createSessionService({ dataDir: options.dataDir, deviceName: hostname(), log: say, lockedServerUrl: lockedServerUrl(managed.policy), device, catalogPullMs: catalogPullMs(process.env) });
const sync = await prepareAgentSync({ dataDir: options.dataDir, env: process.env, deviceName: hostname(), log: say, onCatalog: session.onCatalog, managed: managed.policy, device }).catch(
  (err: Error) => {
    if (err instanceof ConnectError && err.what === 'credential') {
      say(`${err.message}; starting signed out (sign in or enroll from the window)`);
      return null;
    }
    return fail(`cannot set up sync: ${err.message}`);
  },
);
session.adopt(sync);
const projects = sync?.projects.length ? sync.projects : [LOCAL_PROJECT];
const project =
  projects.find((p) => p.id === options.projectId) ??
  (options.projectId === LOCAL_PROJECT.id ? projects[0]! : { id: options.projectId, name: 'Project', tasks: [] });
if (!projects.includes(project)) projects.push(project);
// A full disk at start-up is waited out (reported, tried again), never a reason to exit.
const tracker = await whenWritable(
  () =>
    createTracker(
      {
        capturer: { module: defaultCapturerModule, options: { display } },
        idle: probe,
        windows: probe,
        log: say,
        clock: session.clock,
        loginItem: hostLoginItem({ platform: process.platform, env: process.env }),
        ...(sync ? { sync: sync.ports.sync } : {}),
      },
      { dataDir: options.dataDir, projects, policy: sync?.policy, deviceName: hostname(), serverUrl: sync?.serverUrl ?? null, managed },
    ),
  { clock: systemClock, log: say },
);
session.bind(tracker);
tracker.useSession(session.handlers);
await tracker.api['timer.start']({ projectId: project.id });
say(`tracking project ${project.id} on display ${display}; data in ${options.dataDir}; ${sync ? `syncing to ${sync.serverUrl}` : 'offline (no STINT_SERVER_URL)'}`);

const token = options.token ?? randomBytes(24).toString('base64url');
let bridge: Awaited<ReturnType<typeof startBridge>>;
try {
  bridge = await startBridge({
    handlers: tracker.handlers,
    subscribe: (listener: (e: TrackerEvent) => void) => {
      const offs = [tracker.on(listener), session.on(listener)];
      return () => offs.forEach((off) => off());
    },
    token,
    allowedOrigins: options.origins,
    port: options.port,
    log: say,
    // Signing in from the window changes them: each page load asks the session.
    ui: { root: options.uiDir, imgOrigins: () => session.imageOrigins() },
  });
} catch (err) {
  // The entry is already running: close it properly before leaving (e.g. the bridge port is taken).
  await tracker.shutdown().catch(() => undefined);
  probe.stop();
  fail(`cannot start the UI bridge: ${(err as Error).message}`);
}
const bridgeFile = join(options.dataDir, 'agent-bridge.json');
writeFileSync(bridgeFile, JSON.stringify({ url: bridge!.url, token, pid: process.pid }), { mode: 0o600 });
say(`bridge listening on ${bridge!.url} (token in ${bridgeFile})`);
// Printed once to the terminal, never logged by the bridge: the token rides in the fragment, which no request carries.
console.log(`open the Stint window: ${bridge!.url}/#token=${token}${existsSync(options.uiDir) ? '' : ' (not built yet: npm run build)'}`);

let stopping = false;
const stop = async (signal: string) => {
  // A Ctrl-C reaches the whole process group, and `npm start` then asks again: one stop is enough.
  if (stopping) return say(`${signal}: already stopping`);
  stopping = true;
  say(`${signal}: stopping`);
  let clean = true;
  for (const [what, step] of [
    ['bridge', () => bridge.close()],
    ['tracker', () => tracker.shutdown()],
  ] as const) {
    try {
      await step();
    } catch (err) {
      clean = false;
      console.error(`stint agent: stopping the ${what} failed: ${(err as Error).message}`);
    }
  }
  probe.stop();
  say(clean ? 'stopped cleanly' : 'stopped with errors');
  process.exit(clean ? 0 : 1);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
// Started by `npm start`: stdin is a pipe from the parent; its end (the parent died, even by
// SIGKILL) stops the agent cleanly, closing the running entry.
if (process.env.STINT_PARENT_PIPE === '1') {
  const parentGone = () => {
    // Its end of our stdout and stderr is gone too: a write there must not crash the stop.
    for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
    void stop('parent gone');
  };
  process.stdin.on('end', parentGone).on('error', parentGone);
  process.stdin.resume();
}
// SIGUSR2 takes a screenshot now, the way the scheduler would (scripts, demos, e2e stories).
process.on('SIGUSR2', () => void tracker.captureNow().catch((err: Error) => say(`capture failed: ${err.message}`)));
// After the handlers: a stop asked for during this first capture must be a clean one.
if (options.captureNow) await tracker.captureNow();
