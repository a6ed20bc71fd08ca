import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Port: start Stint at login. The window's setting calls this; one implementation per OS. */
export interface LoginItemPort {
  isEnabled(): boolean;
  setEnabled(on: boolean): void;
}

const desktopFile = () => join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'stint.desktop');

/** The XDG autostart entry (Linux has no setLoginItemSettings). */
export function desktopEntry(exec: string): string {
  return ['[Desktop Entry]', 'Type=Application', 'Name=Stint', 'Comment=Stint time tracker', `Exec="${exec}" --hidden`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

export const electronLoginItem: LoginItemPort =
  process.platform === 'linux'
    ? {
        isEnabled: () => existsSync(desktopFile()),
        setEnabled(on) {
          if (!on) return rmSync(desktopFile(), { force: true });
          mkdirSync(join(desktopFile(), '..'), { recursive: true });
          writeFileSync(desktopFile(), desktopEntry(process.env.APPIMAGE ?? process.execPath));
        },
      }
    : {
        isEnabled: () => app.getLoginItemSettings().openAtLogin,
        setEnabled: (on) => app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] }),
      };
