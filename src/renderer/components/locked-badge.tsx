import type { SettingLock } from '../../shared/managed-policy';

/** A setting IT's policy file fixes: a lock and the reason, next to the setting it is about. */
export function LockedBadge({ lock }: { lock: Pick<SettingLock, 'reason'> }) {
  return (
    <span className="locked">
      <svg className="locked-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5A1.5 1.5 0 0 1 13.5 8.5v5A1.5 1.5 0 0 1 12 15H4a1.5 1.5 0 0 1-1.5-1.5v-5A1.5 1.5 0 0 1 4 7h.5Zm1.5 0h4V5a2 2 0 1 0-4 0v2Z" fill="currentColor" />
      </svg>
      <span className="visually-hidden">Locked: </span>
      {lock.reason}
    </span>
  );
}

/** The lock on one field, if the file locks it. */
export const lockOf = (locks: readonly SettingLock[] | undefined, field: SettingLock['field']) => locks?.find((l) => l.field === field);
