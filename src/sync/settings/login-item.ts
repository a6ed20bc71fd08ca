import type { AutoStart } from '../../shared/tracker-api';

/**
 * Port: start Stint when the user logs in. Linux hosts write an XDG autostart entry themselves
 * (xdg-autostart.ts); macOS and Windows ask the Electron shell (app.setLoginItemSettings) over
 * the core's port; a host that cannot says why.
 */
export interface LoginItem {
  /** Why this host cannot start Stint at login, or null when it can. */
  unavailableReason: string | null;
  isEnabled(): Promise<boolean>;
  setEnabled(on: boolean): Promise<void>;
}

export function unavailableLoginItem(reason: string): LoginItem {
  return {
    unavailableReason: reason,
    isEnabled: async () => false,
    setEnabled: async () => undefined,
  };
}

export async function autoStartView(item: LoginItem): Promise<AutoStart> {
  if (item.unavailableReason !== null) return { available: false, enabled: false, unavailableReason: item.unavailableReason };
  return { available: true, enabled: await item.isEnabled(), unavailableReason: null };
}
