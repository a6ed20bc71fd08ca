import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/tokens.css';
import './styles/app.css';
import './styles/team.css';
import { App, NoTracker } from './app';
import { pickBridge } from './bridge/pick-bridge';
import { createAppStores } from './stores/app-stores';

const root = createRoot(document.getElementById('root')!);
const bridge = pickBridge();
if ('error' in bridge) root.render(<NoTracker reason={bridge.error} />);
else {
  // The window's data is asked for before React draws anything, so the first screen comes up with it.
  const stores = createAppStores(bridge);
  stores.start();
  root.render(
    <StrictMode>
      <App stores={stores} api={bridge.api} />
    </StrictMode>,
  );
}
