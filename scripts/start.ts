/**
 * `npm start`: the Stint server on embedded defaults (embedded PostgreSQL, files on disk, demo org)
 * and the tracker agent enrolled on it, as one job. Data under the server's data dir (STINT_DATA_DIR,
 * else the OS data dir for "stint", /var/lib/stint for root): the server in it, the agent in agent/. Without DISPLAY a
 * private Xvfb is started for the agent. Ctrl-C stops the agent (closing its entry), then the server.
 *
 * Stopping, whatever stops it: the children run in process groups of their own, so a Ctrl-C (or a
 * SIGTERM, SIGHUP) reaches this process only, which stops them in order, each once. Each child
 * ends with this process even when it is SIGKILLed: the server and the agent read a pipe from it
 * (STINT_PARENT_PIPE) and stop cleanly at its end, Xvfb has a watchdog, and the server's
 * PostgreSQL one of its own. This process in turn stops when its parent (npm) goes away.
 *
 * The demo: the agent is enrolled as the demo team's lead (a manager who tracks time), and once its
 * window is up, server/demo/history-main.ts fills the lead's team with a week of generated history in
 * the background, once (it resumes after an interruption). STINT_DEMO_HISTORY=off leaves it out; a
 * number sets the working days before today (default 5).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startXvfb, type Xvfb } from '../test/infra/xvfb';
import { paintDemoDesktop } from './demo-desktop';
import { startElectronShell } from './electron/start-shell';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`[start] ${line}`);
const startedAt = performance.now();
const since = () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s after start`;

function run(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    env: { ...env, STINT_PARENT_PIPE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdin?.on('error', () => undefined); // a child that is gone closed its end: nothing to tell it
  const prefix = (stream: NodeJS.WritableStream) => (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', prefix(process.stdout));
  child.stderr?.on('data', prefix(process.stderr));
  return child;
}

function waitForLine(child: ChildProcess, re: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolveLine, reject) => {
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString();
      const m = re.exec(buffer);
      if (m) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolveLine(m);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${what} exited (code ${code}) before it was ready`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

const stopChild = (child: ChildProcess | null) =>
  new Promise<void>((done) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return done();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });

/** Ends Xvfb if this process dies without stopping it (SIGKILL): a zombie counts as gone. */
const XVFB_WATCHDOG = `
owner=$1 pid=$2
alive() {
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=\${stat##*) }
  [ "\${stat%% *}" != Z ]
}
mine() { alive "$pid" && grep -q Xvfb "/proc/$pid/cmdline" 2>/dev/null; }
while alive "$owner"; do sleep 1; done
mine || exit 0
kill -TERM "$pid" 2>/dev/null
i=0; while [ $i -lt 100 ] && mine; do sleep 0.1; i=$((i + 1)); done
mine && kill -KILL "$pid" 2>/dev/null
exit 0
`;

function watchXvfb(x: Xvfb): ChildProcess {
  const dog = spawn('sh', ['-c', XVFB_WATCHDOG, 'stint-xvfb-watchdog', String(process.pid), String(x.pid)], { detached: true, stdio: 'ignore' });
  dog.on('error', () => undefined);
  dog.unref();
  return dog;
}

let server: ChildProcess | null = null;
let agent: ChildProcess | null = null;
let history: ChildProcess | null = null;
let xvfb: Xvfb | null = null;
let xvfbWatchdog: ChildProcess | null = null;
let stopping: Promise<never> | null = null;

/** Stop the demo history and the agent first (it closes its entry and flushes its minute), then the server; once. */
function shutdown(code: number, why?: string): Promise<never> {
  stopping ??= (async () => {
    if (why) say(`${why}: stopping the agent, then the server`);
    await Promise.all([stopChild(history), stopChild(agent)]);
    await stopChild(server);
    await xvfb?.stop();
    xvfbWatchdog?.kill('SIGKILL');
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0, signal));
// npm runs this script through `exec`, so the parent is npm itself: when it is gone (SIGKILL, or
// its own exit on SIGTERM), this process is re-parented, and stops everything it started.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0, 'the parent process is gone');
}, 500).unref();

try {
  // Request logs at info would drown the agent's lines; LOG_LEVEL=info brings them back.
  server = run('server', 'server/main.ts', [], { LOG_LEVEL: 'warn', ...process.env });
  // The agent lives in the data dir the server chose (root: /var/lib/stint, where the postgres user
  // can reach it). Read from its banner, not computed here: the server owns that choice.
  const [, url, base] = await waitForLine(server, /Stint server listening on (\S+)[\s\S]*?^data: ([^\n]+)\n/m, 'the server');
  server.once('exit', (c) => {
    if (!stopping) say(`the server stopped (code ${c}); stopping the agent`);
    void shutdown(c ?? 1);
  });

  const env: NodeJS.ProcessEnv = { ...process.env, STINT_SERVER_URL: url };
  delete env.STINT_DATA_DIR;
  const demoFile = join(base!, 'demo.json');
  // Handed over on every start: the agent keeps a credential per server and enrolls with it only
  // where it has none (another port, a fresh server), so a second run never ends "not enrolled".
  const demo = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { enrollmentToken: string; logins: Array<{ role: string; name?: string }>; agentDir?: string }) : null;
  if (demo) env.STINT_ENROLLMENT_TOKEN ??= demo.enrollmentToken;
  // A data dir upgraded to the demo team enrolls the lead in a fresh folder; the old agent's stays as it was.
  const agentDir = join(base!, demo?.agentDir ?? 'agent');
  let desktop: Promise<void> | null = null;
  if (stopping) await stopping; // stopped while the server came up: start nothing more
  if (!env.DISPLAY) {
    xvfb = await startXvfb({ detached: true });
    xvfbWatchdog = watchXvfb(xvfb);
    env.DISPLAY = xvfb.display;
    say(`no DISPLAY: started Xvfb on ${xvfb.display} for the agent`);
    const owner = demo?.logins.find((l) => l.role === 'lead')?.name;
    if (owner) desktop = paintDemoDesktop({ display: xvfb.display, width: 1920, height: 1080, owner, file: join(base!, 'demo-desktop.png'), say });
  }
  if (stopping) {
    await xvfb?.stop();
    await stopping;
  }
  // The window the agent serves: built once on the first start (npm run build makes it again).
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    say('building the window (first start only)');
    execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  }
  await desktop; // painted while the window was built: the agent's first capture shows it
  const shell = await startElectronShell(ROOT, env, agentDir, say);
  agent = shell ?? run('agent', 'src/sync/agent/main.ts', ['--data-dir', agentDir, '--capture-now'], env);
  agent.once('exit', (c) => {
    if (!stopping) say(`the agent stopped (code ${c}); stopping the server`);
    void shutdown(c ?? 1);
  });
  say(`server ${url}, agent data in ${agentDir}; Ctrl-C stops both`);
  // The window first, then the history in the background: npm start is usable at once.
  if (!shell) await waitForLine(agent, /open the Stint window: /, 'the agent');
  say(`the window is ready (${since()})`);
  if (process.env.STINT_DEMO_HISTORY === 'off') say('demo history: off (STINT_DEMO_HISTORY=off)');
  else if (!stopping) {
    history = run('demo', 'server/demo/history-main.ts', [url!, base!], { ...process.env, LOG_LEVEL: 'warn' });
    history.once('exit', (c) => {
      if (!stopping) say(c === 0 ? `demo history finished (${since()})` : `demo history stopped with code ${c}; the server and the agent go on`);
      history = null;
    });
  }
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  await shutdown(1);
}
