import { Suspense, useEffect, useLayoutEffect, useState, type ComponentType } from 'react';
import { lazyWithPreload } from 'react-lazy-with-preload';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import type { TrackerBridge } from './bridge/tracker-bridge';
import { AppContext, useApp, useAppStore } from './app-context';
import type { AppStores } from './stores/app-stores';
import { canAdminister, canManage, type SessionState } from './stores/session.store';
import { SyncLine } from './components/sync-line';
import { CaptureIndicator } from './components/capture-indicator';
import { IdleDialog } from './screens/idle-dialog';
import { TimerScreen } from './screens/timer-screen';
import { ScreenshotsScreen } from './screens/screenshots-screen';
import { SyncScreen } from './screens/sync-screen';
import { RecordsScreen } from './screens/records-screen';
import { SettingsScreen } from './screens/settings-screen';
import { SignInScreen } from './screens/sign-in-screen';
import { PolicyNotice } from './components/policy-notice';
import { rememberedMember } from './stores/manager.store';

// The Team page (date pickers, calendar, its store's views) is its own chunk: an employee's window never loads it.
// It is fetched as soon as the session allows it, so opening it draws at once: a page that suspends
// shows its fallback and React holds the reveal back ~300 ms.
const ManagerScreen = lazyWithPreload(() => import('./screens/manager-screen').then((m) => ({ default: m.ManagerScreen })));
// IT's fleet view, for admins only: also its own chunk.
const DevicesScreen = lazyWithPreload(() => import('./screens/devices-screen').then((m) => ({ default: m.DevicesScreen })));

interface Screen {
  key: string;
  label: string;
  Screen: ComponentType;
  /** Shown only when this holds for the session (a role's page); always shown without it. */
  when?: (session: SessionState['session']) => boolean;
  /** A wide page (the team's timeline) uses the whole width. */
  wide?: boolean;
  /** Fetches a page kept in its own chunk; called once the session allows the page. */
  preload?: () => Promise<unknown>;
  /** Asks for the page's data when it is opened, without waiting for its chunk or its first draw. */
  onOpen?: (stores: AppStores) => void;
}

/** The navigation, in order: a page is one entry here. */
const screens: Screen[] = [
  { key: 'timer', label: 'Timer', Screen: TimerScreen },
  { key: 'screenshots', label: 'Screenshots', Screen: ScreenshotsScreen },
  {
    key: 'team',
    label: 'Team',
    Screen: ManagerScreen,
    when: canManage,
    wide: true,
    preload: ManagerScreen.preload,
    onOpen: (stores) => void stores.manager.getState().open(rememberedMember()),
  },
  { key: 'sync', label: 'Sync', Screen: SyncScreen },
  { key: 'records', label: 'What Stint records', Screen: RecordsScreen },
  { key: 'settings', label: 'Settings', Screen: SettingsScreen },
  { key: 'account', label: 'Account', Screen: SignInScreen },
  { key: 'devices', label: 'Devices', Screen: DevicesScreen, when: canAdminister, preload: DevicesScreen.preload },
];

/** No tracker to talk to (neither Electron's preload nor the agent's bridge): the reason, in words. */
export function NoTracker({ reason }: { reason: string }) {
  return (
    <main className="fatal" role="alert">
      <h1>Stint</h1>
      <p>{reason}</p>
    </main>
  );
}

/** The window over started stores (main.tsx starts them before the first render). */
export function App({ stores, api }: { stores: AppStores; api: TrackerBridge['api'] }) {
  return (
    <AppContext.Provider value={{ stores, api }}>
      <div className="shell">
        <header className="topbar">
          <span className="brand" aria-hidden="true">
            Stint
          </span>
          <CaptureIndicator />
          <SyncLine />
        </header>
        <PolicyNotice />
        <Navigation />
      </div>
      <IdleDialog />
    </AppContext.Provider>
  );
}

/** The page the window's URL asks for (?screen=team), else the timer. */
const askedFor = () => new URLSearchParams(location.search).get('screen') ?? 'timer';

// A page asked for in the URL is fetched before the session is known (the window opens on it).
void screens.find((s) => s.key === askedFor())?.preload?.();

function Navigation() {
  const { stores } = useApp();
  const session = useAppStore((s) => s.session, (s) => s.session);
  const shown = screens.filter((s) => !s.when || s.when(session));
  const [selected, setSelected] = useState<Key>(askedFor);
  // A page the session does not allow (signed out, another role) shows the timer; the choice is
  // kept, so a page asked for in the URL opens once the session is known to allow it.
  const current = shown.some((s) => s.key === selected) ? selected : 'timer';
  const preloads = shown.filter((s) => s.preload).map((s) => s.key).join(' ');
  useEffect(() => {
    for (const s of screens) if (preloads.split(' ').includes(s.key)) void s.preload?.();
  }, [preloads]);
  // Before the browser paints the page: its reads go out a frame earlier.
  useLayoutEffect(() => {
    screens.find((s) => s.key === current)?.onOpen?.(stores);
  }, [current, stores]);
  return (
    <Tabs className="tabs" selectedKey={current} onSelectionChange={setSelected} orientation="vertical">
      <TabList aria-label="Screens" className="nav">
        {shown.map(({ key, label }) => (
          <Tab key={key} id={key} className="nav-item">
            {label}
          </Tab>
        ))}
      </TabList>
      {shown.map(({ key, label, Screen, wide }) => (
        <TabPanel key={key} id={key} className={wide ? 'panel wide' : 'panel'}>
          <h1 className="panel-title">{label}</h1>
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Screen />
          </Suspense>
        </TabPanel>
      ))}
    </Tabs>
  );
}
