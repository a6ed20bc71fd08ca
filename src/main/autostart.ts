import { app } from 'electron';

/**
 * Start at login. On macOS and Windows main keeps it (app.setLoginItemSettings) and the core asks
 * over its port; on Linux, which has no login-item API, the core writes the XDG autostart entry
 * itself for the executable named here (the AppImage when run as one).
 */
export function loginItemEnv(): Record<string, string> {
  if (process.platform === 'linux') return { STINT_AUTOSTART_EXEC: process.env.APPIMAGE ?? process.execPath };
  return { STINT_LOGIN_ITEM: 'shell' };
}

/** Answers the core's login-item question; `set` changes it first. */
export function electronLoginItem(set: boolean | undefined): boolean {
  if (set !== undefined) app.setLoginItemSettings({ openAtLogin: set, args: ['--hidden'] });
  return app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin;
}
