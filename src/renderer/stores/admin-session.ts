import { useStore } from 'zustand';
import type { AppStores } from './app-stores';

/** True while the window is signed in as an owner or admin of the org (who may see the fleet). */
export function useAdminSession(stores: AppStores): boolean {
  return useStore(stores.session, (s) => typeof s.session === 'object' && s.session?.state === 'signed-in' && (s.session.role === 'admin' || s.session.role === 'owner'));
}
