import type { TrackerSession, TrackerStatus } from '../shared/tracker-api';

export const trayStates = ['tracking', 'paused', 'offline', 'attention'] as const;
export type TrayState = (typeof trayStates)[number];

export interface TrayInput {
  status: TrackerStatus | null;
  session: TrackerSession | null;
  projectName: string | null;
  /** Why the core is down, or why capture cannot run (permission): needs the person's attention. */
  problem: string | null;
  /** net.isOnline() from the shell: a hint, the sync engine's own state wins when it knows. */
  online: boolean;
  /** The updater's line (src/main/updates/update-decisions.ts `updateOffer`); actionable: "Restart to update". */
  update?: { label: string; actionable: boolean } | null;
}

const hm = (s: number) => `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;

/** One icon per state: attention beats offline beats tracking/paused. */
export function trayState(i: TrayInput): TrayState {
  if (i.problem || !i.status) return 'attention';
  if (i.status.storageError || i.status.lastCaptureError || i.status.queue.dead > 0 || i.status.pendingIdle) return 'attention';
  if (i.status.sync.state === 'offline' || !i.online) return 'offline';
  return i.status.running ? 'tracking' : 'paused';
}

/** The sync state in words a person reads in the menu. */
export function syncInWords(i: TrayInput): string {
  const s = i.status;
  if (!s) return 'Tracker not running';
  const waiting = s.queue.screenshots + s.queue.ops;
  const queued = waiting ? `, ${waiting} waiting to upload` : '';
  switch (s.sync.state) {
    case 'signed-out':
      return i.session?.state === 'signed-in' ? 'Not syncing' : 'Not signed in: nothing is uploaded';
    case 'offline':
      return `Offline${queued}`;
    case 'paused':
      return `Sync paused${s.sync.lastError ? `: ${s.sync.lastError}` : ''}`;
    case 'syncing':
      return `Uploading${queued}`;
    default:
      return !i.online ? `No network${queued}` : waiting ? `Synced except ${waiting} waiting` : 'All synced';
  }
}

export type TrayItem =
  | { id: 'toggle' | 'update'; label: string; enabled: boolean }
  | { id: 'project' | 'today' | 'sync' | 'problem'; label: string; enabled: false }
  | { id: 'open' | 'quit'; label: string; enabled: true }
  | { id: 'separator' };

/** The tray menu as data (tray.ts turns it into an Electron Menu; tests read it as is). */
export function trayMenu(i: TrayInput): TrayItem[] {
  const running = i.status?.running ?? null;
  const items: TrayItem[] = [
    { id: 'toggle', label: running ? 'Stop timer' : 'Start timer', enabled: i.status !== null && (running !== null || i.projectName !== null) },
    { id: 'project', label: i.projectName ? `Project: ${i.projectName}` : 'No project chosen', enabled: false },
    { id: 'today', label: `Today: ${hm(i.status?.todaySeconds ?? 0)}`, enabled: false },
    { id: 'sync', label: syncInWords(i), enabled: false },
  ];
  if (i.problem) items.push({ id: 'problem', label: i.problem, enabled: false });
  if (i.update) items.push({ id: 'update', label: i.update.label, enabled: i.update.actionable });
  items.push({ id: 'separator' }, { id: 'open', label: 'Open Stint', enabled: true }, { id: 'quit', label: 'Quit Stint', enabled: true });
  return items;
}

export function trayTooltip(i: TrayInput): string {
  const state = trayState(i);
  return `Stint: ${state === 'attention' ? (i.problem ?? 'needs attention') : state}${i.projectName && i.status?.running ? ` on ${i.projectName}` : ''}`;
}
