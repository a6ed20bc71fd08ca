import { mkdir, stat, unlink } from 'node:fs/promises';
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

/** The Linux login item: ~/.config/autostart/stint.desktop (Linux has no setLoginItemSettings). */
export function xdgLoginItem(command: readonly string[], file = autostartFile()): LoginItem {
  return {
    unavailableReason: null,
    isEnabled: () => stat(file).then(() => true, () => false),
    async setEnabled(on) {
      if (!on) return unlink(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, Buffer.from(desktopEntry(command)));
    },
  };
}
