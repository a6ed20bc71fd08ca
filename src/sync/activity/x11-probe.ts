import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ActiveWindow, IdleSource, WindowInfo } from './ports';

/**
 * One long-lived helper process samples X11 once a second (xprintidle for idle time, xprop
 * for the active window) and streams lines; Node keeps the latest. Spawning a process per
 * sample would block the event loop ~17 ms each time; this spawns once. The helper exits by
 * itself once this process is gone (killed, crashed, or exited without stop()).
 */
const SCRIPT = `
while :; do
  kill -0 "$PPID" 2>/dev/null || exit 0
  idle=$(xprintidle 2>/dev/null || echo -1)
  win=$(xprop -root _NET_ACTIVE_WINDOW 2>/dev/null | sed -n 's/.*# \\(0x[0-9a-fA-F]*\\).*/\\1/p')
  cls=""; name=""
  if [ -n "$win" ] && [ "$win" != "0x0" ]; then
    cls=$(xprop -id "$win" WM_CLASS 2>/dev/null | sed -n 's/.*= ".*", "\\(.*\\)"$/\\1/p')
    name=$(xprop -id "$win" _NET_WM_NAME 2>/dev/null | sed -n 's/^[^=]*= "\\(.*\\)"$/\\1/p')
  fi
  printf '%s\\t%s\\t%s\\n' "$idle" "$cls" "$name" | tr -d '\\r'
  sleep "$STINT_PROBE_INTERVAL"
done
`;

export interface X11Probe extends IdleSource, ActiveWindow {
  /** The helper process's pid (undefined without a display). */
  readonly pid: number | undefined;
  /** Resolves with the first sample, rejects with a clear reason if X11 is not reachable. */
  ready: Promise<void>;
  stop(): void;
}

export function startX11Probe(options: { display?: string; intervalSeconds?: number } = {}): X11Probe {
  const display = options.display ?? process.env.DISPLAY;
  let latest: { idleMs: number; at: number; window: WindowInfo | null } | null = null;
  let failure: Error | null = null;
  let child: ChildProcess | null = null;
  if (!display) failure = new Error('no X display: DISPLAY is not set');
  else {
    child = spawn('sh', ['-c', SCRIPT], {
      env: { ...process.env, DISPLAY: display, STINT_PROBE_INTERVAL: String(options.intervalSeconds ?? 1) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.on('error', (err) => (failure = err));
    const self = child;
    // Without this a dead helper's last sample would read as ever-growing idle time.
    self.on('exit', (code, signal) => {
      if (child === self) failure = new Error(`X11 probe helper exited (${signal ?? code}) on ${display}`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [idle, cls, name] = line.split('\t');
      const ms = Number(idle);
      if (!Number.isFinite(ms) || ms < 0) {
        failure = new Error(`xprintidle failed on ${display} (is the display up and xprintidle installed?)`);
        return;
      }
      failure = null;
      latest = { idleMs: ms, at: Date.now(), window: cls ? { app: cls, title: name || null } : null };
    });
  }
  const ready = new Promise<void>((resolve, reject) => {
    const check = (n: number) => {
      if (latest) return resolve();
      if (failure || n > 100) return reject(failure ?? new Error(`no idle sample from ${display} within 10 s`));
      setTimeout(() => check(n + 1), 100).unref();
    };
    check(0);
  });
  // Nobody samples a probe that never got ready: its helper goes at once.
  ready.catch(() => child?.kill('SIGTERM'));
  return {
    pid: child?.pid,
    ready,
    async idleMs() {
      if (failure) throw failure;
      if (!latest) throw new Error('idle probe has no sample yet');
      // The helper sampled at `at`; time since then was idle unless the next sample says otherwise.
      return latest.idleMs + Math.max(0, Date.now() - latest.at);
    },
    async current() {
      return latest?.window ?? null;
    },
    stop() {
      child?.kill('SIGTERM');
      child = null;
    },
  };
}
