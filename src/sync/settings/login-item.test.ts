import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support/temp-dir';
import { autostartFile, desktopEntry, xdgLoginItem } from './xdg-autostart';
import { hostLoginItem } from './host-login-item';
import { autoStartView } from './login-item';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

describe('the XDG autostart entry (Linux start at login)', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/autostart/stint.desktop');
    expect(autostartFile({})).toMatch(/\/\.config\/autostart\/stint\.desktop$/);
  });

  it('quotes Exec arguments the way the Desktop Entry spec asks', () => {
    expect(desktopEntry(['/opt/Stint/stint', '--hidden'])).toContain('Exec=/opt/Stint/stint --hidden\n');
    expect(desktopEntry(['/home/a b/Stint "x".AppImage'])).toContain('Exec="/home/a b/Stint \\"x\\".AppImage"\n');
    expect(desktopEntry(['/opt/100%/stint'])).toContain('Exec=/opt/100%%/stint\n');
    expect(desktopEntry(['/opt/$HOME/stint'])).toContain('Exec="/opt/\\$HOME/stint"\n');
  });

  it('is written on, removed off, and reads back what is on disk', async () => {
    const file = join(dir.path, 'autostart', 'stint.desktop');
    const item = xdgLoginItem(['/opt/Stint/stint', '--hidden'], file, join(dir.path, 'no-system-entry.desktop'));
    expect(await autoStartView(item)).toEqual({ available: true, enabled: false, unavailableReason: null });
    await item.setEnabled(false);
    await item.setEnabled(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Stint\n/);
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(existsSync(file)).toBe(false);
    expect(await item.isEnabled()).toBe(false);
  });

  it('where the package installed the system-wide entry: on by default, off masks it (Hidden=true), on again starts', async () => {
    const file = join(dir.path, 'autostart', 'stint.desktop');
    const system = join(dir.path, 'etc-xdg-autostart', 'stint.desktop');
    mkdirSync(join(dir.path, 'etc-xdg-autostart'));
    writeFileSync(system, desktopEntry(['/opt/Stint/stint', '--hidden']));
    const item = xdgLoginItem(['/opt/Stint/stint', '--hidden'], file, system);
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(readFileSync(file, 'utf8')).toMatch(/^Hidden=true$/m);
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(readFileSync(file, 'utf8')).not.toMatch(/Hidden=true/);
    expect(await item.isEnabled()).toBe(true);
    expect(readFileSync(system, 'utf8')).toContain('Exec=/opt/Stint/stint --hidden');
  });

  it('a place it cannot write fails with the reason, leaving nothing half-written', async () => {
    const blocked = join(dir.path, 'autostart');
    writeFileSync(blocked, 'a file where the autostart folder should be');
    const item = xdgLoginItem(['/opt/Stint/stint'], join(blocked, 'stint.desktop'), join(dir.path, 'no-system-entry.desktop'));
    await expect(item.setEnabled(true)).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(readFileSync(blocked, 'utf8')).toBe('a file where the autostart folder should be');
    expect(await item.isEnabled()).toBe(false);
  });
});

describe('which login item a host has', () => {
  const ask = async () => true;
  it('the Electron core on macOS and Windows asks the shell', async () => {
    const item = hostLoginItem({ platform: 'darwin', env: { STINT_LOGIN_ITEM: 'shell' }, askShell: ask });
    expect(await autoStartView(item)).toEqual({ available: true, enabled: true, unavailableReason: null });
  });
  it('Linux with STINT_AUTOSTART_EXEC writes the XDG entry for that executable', () => {
    expect(hostLoginItem({ platform: 'linux', env: { STINT_AUTOSTART_EXEC: '/opt/Stint/stint' } }).unavailableReason).toBeNull();
  });
  it('the headless agent has none, and says why', async () => {
    const view = await autoStartView(hostLoginItem({ platform: 'linux', env: {} }));
    expect(view).toMatchObject({ available: false, enabled: false });
    expect(view.unavailableReason).toMatch(/headless agent/);
    expect(hostLoginItem({ platform: 'win32', env: { STINT_AUTOSTART_EXEC: 'C:\\stint.exe' } }).unavailableReason).toMatch(/Linux only/);
  });
});
