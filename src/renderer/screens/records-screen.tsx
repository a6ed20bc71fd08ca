import { useEffect, useState } from 'react';
import type { TrackerOutput } from '../../shared/tracker-api';
import { useApp } from '../app-context';
import { describeError } from '../stores/errors';
import type { CapturePolicyField } from '../../shared/managed-policy';
import { LockedBadge, lockOf } from '../components/locked-badge';
import '../styles/managed.css';

type Settings = TrackerOutput<'settings.get'>;

const minutes = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/** The capture policy in plain words, for the person it is about; each line names the fields it tells. */
export function policyInWords(p: Settings['policy']): Array<{ text: string; fields: CapturePolicyField[] }> {
  return [
    {
      fields: ['screenshotsPerSlot', 'blurScreenshots'],
      text:
        p.screenshotsPerSlot === 0
          ? 'No screenshots are taken.'
          : `${p.screenshotsPerSlot} screenshot${p.screenshotsPerSlot > 1 ? 's' : ''} of each display every 10 minutes while the timer runs, at random moments.${p.blurScreenshots ? ' They are blurred before they leave this device.' : ''}`,
    },
    { fields: ['recordWindowTitles'], text: p.recordWindowTitles ? 'The name of the app you use and its window title, once a second.' : 'The name of the app you use, but not window titles.' },
    { fields: [], text: 'How many seconds of each minute had keyboard or mouse input — never which keys or what you typed.' },
    { fields: ['idleThresholdSeconds'], text: `After ${minutes(p.idleThresholdSeconds)} without input, Stint asks whether to keep or discard that time.` },
    {
      fields: ['reviewMinutes'],
      text:
        p.reviewMinutes > 0
          ? `Each screenshot waits ${p.reviewMinutes} min on this device before it is sent, so you can look at it and delete it before anyone else could see it.`
          : 'Screenshots are sent as soon as the device is online (no review window).',
    },
    { fields: ['screenshotDeleteGraceSeconds'], text: `You can delete a screenshot for ${minutes(Math.max(p.screenshotDeleteGraceSeconds, p.reviewMinutes * 60))} after it was taken.` },
    { fields: ['keepLocalDays'], text: p.keepLocalDays > 0 ? `Sent screenshots stay on this device for ${p.keepLocalDays} days, then are deleted.` : 'Sent screenshots are deleted from this device.' },
  ];
}

export function RecordsScreen() {
  const { api } = useApp();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api['settings.get']({}).then(setSettings, (e: unknown) => setError(describeError(e).message));
  }, [api]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!settings) return <p className="loading">Loading the policy…</p>;
  return (
    <section className="card prose">
      <p>While the timer runs, Stint records:</p>
      <ul className="policy">
        {policyInWords(settings.policy).map(({ text, fields }) => {
          const lock = fields.map((f) => lockOf(settings.managed?.locks, f)).find(Boolean);
          return (
            <li key={text}>
              <span className="policy-line">
                <span>{text}</span>
                {lock && <LockedBadge lock={lock} />}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="hint">Nothing is recorded while the timer is stopped. The rules come from {settings.serverUrl ? `your organisation on ${settings.serverUrl}` : 'the defaults on this device'}
        {settings.managed?.active ? "; those marked with a lock are set by your organisation's IT in a policy file on this computer" : ''}.</p>
    </section>
  );
}
