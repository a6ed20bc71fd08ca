import { BrowserWindow, shell } from 'electron';
import { hardenContents, windowOptions, APP_ORIGIN } from './security';

/** The one main window: created hidden, shown from the tray, hidden (not closed) on close until quit. */
export function createMainWindow(preload: string, isQuitting: () => boolean): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload));
  hardenContents(win.webContents, (url) => void shell.openExternal(url));
  win.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    win.hide();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

export function showWindow(win: BrowserWindow | null): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
