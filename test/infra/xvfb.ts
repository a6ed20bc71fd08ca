import { spawn, type ChildProcess } from 'node:child_process';

export interface Xvfb {
  /** e.g. ":12" */
  display: string;
  /** The Xvfb process id. */
  pid: number;
  /** process.env with DISPLAY pointing at this server (for child processes). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface XvfbOptions {
  width?: number;
  height?: number;
  depth?: number;
  /** How long to wait for the server to come up. */
  timeoutMs?: number;
  /** Run it in a process group of its own, so a Ctrl-C to the caller's group does not end it first. */
  detached?: boolean;
}

/**
 * Starts a real Xvfb on a free display number (the server picks it: -displayfd) and returns
 * its DISPLAY. Tests call stop() in afterAll; the process is also killed if this one exits.
 */
export async function startXvfb(options: XvfbOptions = {}): Promise<Xvfb> {
  const { width = 1920, height = 1080, depth = 24, timeoutMs = 10_000, detached = false } = options;
  const child: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', `${width}x${height}x${depth}`, '-nolisten', 'tcp', '-noreset'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()).slice(-2000));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', (err) =>
      fail(new Error(`cannot run Xvfb (${err.message}); install the Debian package "xvfb"`)),
    );
    child.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}: ${stderr}`)));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(`:${m[1]}`);
      }
    });
  });

  return {
    display,
    pid: child.pid!,
    env: { ...process.env, DISPLAY: display },
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
