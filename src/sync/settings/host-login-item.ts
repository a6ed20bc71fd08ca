import { unavailableLoginItem, type LoginItem } from './login-item';
import { xdgLoginItem } from './xdg-autostart';

/** The Electron shell's login item, asked over the core's port (macOS, Windows). */
export function shellLoginItem(ask: (set?: boolean) => Promise<boolean>): LoginItem {
  return {
    unavailableReason: null,
    isEnabled: () => ask(),
    async setEnabled(on) {
      if ((await ask(on)) !== on) throw new Error(`the system did not ${on ? 'add Stint to' : 'remove Stint from'} the login items`);
    },
  };
}

export interface LoginItemEnv {
  STINT_LOGIN_ITEM?: string;
  STINT_AUTOSTART_EXEC?: string;
}

export interface HostLoginItemOptions {
  platform: NodeJS.Platform;
  env: LoginItemEnv;
  /** Present in the Electron core process: asks main. */
  askShell?: (set?: boolean) => Promise<boolean>;
  /** Arguments after the executable in the autostart entry (the desktop app opens hidden in the tray). */
  args?: readonly string[];
}

/**
 * Which login item this host has. STINT_LOGIN_ITEM=shell: main keeps it (macOS, Windows).
 * STINT_AUTOSTART_EXEC=<executable> on Linux: an XDG autostart entry that runs it. Otherwise none,
 * and the Settings screen says why.
 */
export function hostLoginItem(o: HostLoginItemOptions): LoginItem {
  if (o.env.STINT_LOGIN_ITEM === 'shell' && o.askShell) return shellLoginItem(o.askShell);
  const exec = o.env.STINT_AUTOSTART_EXEC;
  if (exec && o.platform === 'linux') return xdgLoginItem([exec, ...(o.args ?? [])]);
  if (exec) return unavailableLoginItem(`starting at login from STINT_AUTOSTART_EXEC works on Linux only; on ${o.platform} the desktop app sets it`);
  return unavailableLoginItem('this window belongs to the headless agent, which its service manager starts; the desktop app has this switch');
}
