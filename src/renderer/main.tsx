import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/tokens.css';
import './styles/app.css';
import './styles/team.css';
import { App } from './app';
import { pickBridge } from './bridge/pick-bridge';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    <App bridge={pickBridge()} />
  </StrictMode>,
);
