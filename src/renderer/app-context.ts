import { createContext, useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TrackerApi } from '../shared/tracker-api';
import type { AppStores } from './stores/app-stores';

export const AppContext = createContext<{ stores: AppStores; api: TrackerApi } | null>(null);

export function useApp() {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext>');
  return app;
}

/** Select from one of the app's stores. */
export function useAppStore<S, T>(pick: (s: AppStores) => StoreApi<S>, select: (state: S) => T): T {
  return useStore(pick(useApp().stores), select);
}

/** The current time, refreshed every `everyMs` (for running clocks and delete windows). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
