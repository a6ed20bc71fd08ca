import { useEffect, useMemo } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import type { TrackerBridge } from './bridge/tracker-bridge';
import { AppContext } from './app-context';
import { createAppStores } from './stores/app-stores';
import { SyncLine } from './components/sync-line';
import { CaptureIndicator } from './components/capture-indicator';
import { IdleDialog } from './screens/idle-dialog';
import { TimerScreen } from './screens/timer-screen';
import { ScreenshotsScreen } from './screens/screenshots-screen';
import { SyncScreen } from './screens/sync-screen';
import { RecordsScreen } from './screens/records-screen';
import { SettingsScreen } from './screens/settings-screen';
import { SignInScreen } from './screens/sign-in-screen';
import { DevicesScreen } from './screens/devices-screen';
import { PolicyNotice } from './components/policy-notice';
import { useAdminSession } from './stores/admin-session';

const screens = [
  ['timer', 'Timer', TimerScreen],
  ['screenshots', 'Screenshots', ScreenshotsScreen],
  ['sync', 'Sync', SyncScreen],
  ['records', 'What Stint records', RecordsScreen],
  ['settings', 'Settings', SettingsScreen],
  ['account', 'Account', SignInScreen],
  ['devices', 'Devices', DevicesScreen],
] as const;

export function App({ bridge }: { bridge: TrackerBridge | { error: string } }) {
  if ('error' in bridge)
    return (
      <main className="fatal" role="alert">
        <h1>Stint</h1>
        <p>{bridge.error}</p>
      </main>
    );
  return <Connected bridge={bridge} />;
}

function Connected({ bridge }: { bridge: TrackerBridge }) {
  const stores = useMemo(() => createAppStores(bridge), [bridge]);
  useEffect(() => stores.start(), [stores]);
  const initial = new URLSearchParams(location.search).get('screen') ?? 'timer';
  // The Devices page (IT's fleet view) is for admins only.
  const admin = useAdminSession(stores);
  const shown = screens.filter(([key]) => key !== 'devices' || admin);
  return (
    <AppContext.Provider value={{ stores, api: bridge.api }}>
      <div className="shell">
        <header className="topbar">
          <span className="brand" aria-hidden="true">
            Stint
          </span>
          <CaptureIndicator />
          <SyncLine />
        </header>
        <PolicyNotice />
        <Tabs className="tabs" defaultSelectedKey={shown.some(([k]) => k === initial) ? initial : 'timer'} orientation="vertical">
          <TabList aria-label="Screens" className="nav">
            {shown.map(([key, label]) => (
              <Tab key={key} id={key} className="nav-item">
                {label}
              </Tab>
            ))}
          </TabList>
          {shown.map(([key, label, Screen]) => (
            <TabPanel key={key} id={key} className="panel">
              <h1 className="panel-title">{label}</h1>
              <Screen />
            </TabPanel>
          ))}
        </Tabs>
      </div>
      <IdleDialog />
    </AppContext.Provider>
  );
}
