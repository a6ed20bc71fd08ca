import type { TrackerOutput } from '../../shared/tracker-api';
import type { SettingLock } from '../../shared/managed-policy';
import { LockedBadge } from './locked-badge';
import '../styles/managed.css';

type Settings = TrackerOutput<'settings.get'>;

/** The name of each lockable setting, as the employee knows it. */
const fieldNames: Record<SettingLock['field'], string> = {
  serverUrl: 'Server',
  autoStart: 'Start with the computer',
  screenshotsPerSlot: 'Screenshots every 10 minutes',
  blurScreenshots: 'Blur screenshots',
  idleThresholdSeconds: 'Idle after',
  recordWindowTitles: 'Window titles',
  screenshotDeleteGraceSeconds: 'Time to delete a screenshot',
  keepLocalDays: 'Days sent screenshots stay on this device',
  reviewMinutes: 'Review window before upload',
};

const valueOf = (s: Settings, field: SettingLock['field']): string => {
  if (field === 'serverUrl') return s.serverUrl ?? '—';
  if (field === 'autoStart') return 'always on';
  const v = s.policy[field];
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (field === 'idleThresholdSeconds' || field === 'screenshotDeleteGraceSeconds') return v % 60 === 0 ? `${v / 60} min` : `${v} s`;
  if (field === 'reviewMinutes') return v ? `${v} min` : 'off';
  return String(v);
};

/** What IT's policy file fixes on this device, each setting with its value and the lock's reason. */
export function ManagedSettings({ settings }: { settings: Settings }) {
  const managed = settings.managed;
  if (!managed) return null;
  return (
    <section className="card" aria-labelledby="managed-title">
      <h2 id="managed-title">Set by your organisation</h2>
      {managed.error && (
        <p className="error">
          {managed.usingLastGood
            ? 'The policy file has a problem (see the notice at the top): these are its last valid settings.'
            : 'The policy file has a problem (see the notice at the top) and no earlier valid copy exists: nothing is locked.'}
        </p>
      )}
      {managed.locks.length === 0 ? (
        <p className="empty">The policy file on this computer locks no setting.</p>
      ) : (
        <ul className="managed-list" aria-label="Locked settings">
          {managed.locks.map((lock) => (
            <li key={lock.field}>
              <span>
                <strong>{fieldNames[lock.field]}</strong>: {valueOf(settings, lock.field)}
              </span>
              <LockedBadge lock={lock} />
            </li>
          ))}
        </ul>
      )}
      <p className="hint managed-source">
        From {managed.path}
        {managed.updateChannel ? `; updates from the "${managed.updateChannel}" channel` : ''}. Only your IT department can change these.
      </p>
    </section>
  );
}
