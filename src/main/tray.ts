import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { trayMenu, trayState, trayTooltip, type TrayInput, type TrayItem } from './tray-model';

export interface TrayActions {
  toggle(): void;
  update(): void;
  open(): void;
  quit(): void;
}

/** The tray icon (one PNG per state, rendered at build time from one SVG) and its menu, redrawn on every change. */
export function createTray(iconDir: string, actions: TrayActions) {
  const icon = (state: string) => nativeImage.createFromPath(join(iconDir, `tray-${state}.png`));
  const tray = new Tray(icon('paused'));
  tray.on('click', actions.open);
  const toItem = (i: TrayItem): MenuItemConstructorOptions =>
    i.id === 'separator'
      ? { type: 'separator' }
      : { id: i.id, label: i.label, enabled: i.enabled, ...(i.id === 'toggle' || i.id === 'update' || i.id === 'open' || i.id === 'quit' ? { click: () => actions[i.id]() } : {}) };
  return {
    render(input: TrayInput): void {
      tray.setImage(icon(trayState(input)));
      tray.setToolTip(trayTooltip(input));
      const menu = Menu.buildFromTemplate(trayMenu(input).map(toItem));
      tray.setContextMenu(menu);
      // Read by the electron e2e project (Playwright evaluates in main): the menu a person would see.
      (globalThis as { __stintTrayMenu?: Menu }).__stintTrayMenu = menu;
    },
    destroy: () => tray.destroy(),
  };
}
