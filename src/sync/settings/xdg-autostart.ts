import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../capture/atomic-file';
import type { LoginItem } from './login-item';

/** One Exec argument, quoted as the Desktop Entry spec asks when it holds a reserved character. */
function execArgument(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  return `"${escaped.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Stint',
    'Comment=Stint time tracker',
    `Exec=${command.map(execArgument).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'autostart', 'stint.desktop');
}

/** The entry the deb and rpm install for every user (build/linux/after-install.sh). */
export const SYSTEM_AUTOSTART_FILE = '/etc/xdg/autostart/stint.desktop';

/** A user entry that masks the system one of the same name (XDG autostart: Hidden=true). */
const HIDDEN_ENTRY = ['[Desktop Entry]', 'Type=Application', 'Name=Stint', 'Hidden=true', ''].join('\n');

const exists = (f: string) => stat(f).then(() => true, () => false);

/**
 * The Linux login item: ~/.config/autostart/stint.desktop (Linux has no setLoginItemSettings).
 * Where the package installed the system-wide entry, the user's file decides over it: off writes
 * a `Hidden=true` entry (deleting the user file would leave the system one starting Stint).
 */
export function xdgLoginItem(command: readonly string[], file = autostartFile(), systemFile = SYSTEM_AUTOSTART_FILE): LoginItem {
  return {
    unavailableReason: null,
    async isEnabled() {
      const own = await readFile(file, 'utf8').catch(() => null);
      if (own !== null) return !/^Hidden=true$/m.test(own);
      return exists(systemFile);
    },
    async setEnabled(on) {
      if (!on) {
        if (await exists(systemFile)) {
          await mkdir(dirname(file), { recursive: true });
          return writeFileAtomic(file, Buffer.from(HIDDEN_ENTRY));
        }
        return unlink(file).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      }
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, Buffer.from(desktopEntry(command)));
    },
  };
}
