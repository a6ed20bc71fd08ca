import { Notification, net, powerMonitor, shell, systemPreferences, dialog } from 'electron';
import type { TrackerEvent } from '../shared/tracker-api';
import type { HostSignal } from '../shared/tracker-port-protocol';

/** The idle source the core asks for: seconds since the last input, from the OS. */
export const osIdleMs = () => powerMonitor.getSystemIdleTime() * 1000;

/** Lock, unlock, suspend and resume become host signals (the core pauses capture while away). */
export function watchPower(send: (s: HostSignal) => void): void {
  const on = (event: 'lock-screen' | 'unlock-screen' | 'suspend' | 'resume', state: 'lock' | 'unlock' | 'suspend' | 'resume') =>
    powerMonitor.on(event as 'suspend', () => send({ type: 'power', state, at: Date.now() }));
  on('lock-screen', 'lock');
  on('unlock-screen', 'unlock');
  on('suspend', 'suspend');
  on('resume', 'resume');
}

/** net.isOnline() polled as a hint (there is no change event); the sync engine's own state wins. */
export function watchOnline(send: (s: HostSignal) => void, everyMs = 10_000): () => boolean {
  let last = net.isOnline();
  send({ type: 'online', online: last });
  setInterval(() => {
    const now = net.isOnline();
    if (now !== last) send({ type: 'online', online: (last = now) });
  }, everyMs).unref();
  return () => last;
}

const SCREEN_PANE = 'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture';

/**
 * macOS: without the screen-recording permission the OS hands back a desktop without windows.
 * Capture is blocked with the reason (never a blank screenshot), and a dialog offers the pane.
 */
export function screenPermissionProblem(): string | null {
  if (process.platform !== 'darwin') return null;
  const status = systemPreferences.getMediaAccessStatus('screen');
  return status === 'granted' ? null : `Screen recording is not allowed for Stint (${status}): screenshots are paused`;
}

export async function offerScreenSettings(problem: string): Promise<void> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    message: problem,
    detail: 'Allow Stint under Privacy & Security → Screen Recording, then restart Stint.',
    buttons: ['Open System Settings', 'Later'],
    defaultId: 0,
  });
  if (response === 0) await shell.openExternal(SCREEN_PANE);
}

/** "Screenshot taken" when the policy asks the employee to be told. */
export function notifyCapture(e: TrackerEvent, policyWantsNotice: () => boolean): void {
  if (e.type !== 'capture' || !policyWantsNotice() || !Notification.isSupported()) return;
  new Notification({ title: 'Stint', body: `Screenshot taken at ${new Date(e.screenshot.takenAt).toLocaleTimeString()}`, silent: true }).show();
}
