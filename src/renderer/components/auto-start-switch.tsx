import { useState } from 'react';
import { Switch } from 'react-aria-components';
import type { AutoStart } from '../../shared/tracker-api';
import { useApp } from '../app-context';
import { describeError } from '../stores/errors';

/** "Start Stint when I log in": applied as soon as it is flipped; why it cannot be used, in words. */
export function AutoStartSwitch({ initial }: { initial: AutoStart }) {
  const { api } = useApp();
  const [state, setState] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const flip = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setState((await api['settings.update']({ autoStart: on })).autoStart);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field setting-row">
      <Switch
        className="switch"
        isSelected={state.enabled}
        isDisabled={!state.available || busy}
        onChange={(on) => void flip(on)}
        aria-describedby="auto-start-hint"
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        Start Stint when I log in
      </Switch>
      <p className="hint" id="auto-start-hint">
        {state.available ? 'Stint opens in the tray, without a window, when you log in to this computer.' : `Not available here: ${state.unavailableReason}.`}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
