import { describe, expect, it } from 'vitest';
import type { TrackerStatus } from '../shared/tracker-api';
import { syncInWords, trayMenu, trayState, type TrayInput } from './tray-model';

const status = (over: Partial<TrackerStatus> = {}): TrackerStatus => ({
  running: null,
  todaySeconds: 5_400,
  activityPercent: null,
  idleSeconds: 0,
  pendingIdle: false,
  weekSeconds: 0,
  inReview: 0,
  queue: { screenshots: 0, ops: 0, dead: 0, bytesPending: 0, oldestUnsyncedSeconds: null },
  sync: { state: 'idle', lastSuccessAt: null, lastError: null },
  lastCaptureError: null,
  storageError: null,
  policyError: null,
  ...over,
});
const running = { id: '0190e7a0-0000-7000-8000-000000000001', projectId: '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f', taskId: null, startedAt: '2026-03-02T09:00:00.000Z' };
const input = (over: Partial<TrayInput> = {}): TrayInput => ({ status: status(), session: null, projectName: 'Website', problem: null, online: true, ...over });

describe('the tray', () => {
  it.each([
    ['tracking', input({ status: status({ running }) })],
    ['paused', input()],
    ['offline', input({ status: status({ running, sync: { state: 'offline', lastSuccessAt: null, lastError: null } }) })],
    ['offline', input({ status: status({ running }), online: false })],
    ['attention', input({ problem: 'the tracker core stopped (exit code 1); restarting in 2 s' })],
    ['attention', input({ status: status({ running, storageError: 'disk full' }) })],
    ['attention', input({ status: null })],
  ] as const)('shows %s', (state, i) => {
    expect(trayState(i)).toBe(state);
  });

  it('menu: start/stop, project, today, sync in words, open, quit', () => {
    const labels = trayMenu(input({ status: status({ running, queue: { screenshots: 2, ops: 1, dead: 0, bytesPending: 9, oldestUnsyncedSeconds: 30 }, sync: { state: 'offline', lastSuccessAt: null, lastError: null } }) })).map((i) => ('label' in i ? i.label : '—'));
    expect(labels).toEqual(['Stop timer', 'Project: Website', 'Today: 1 h 30 min', 'Offline, 3 waiting to upload', '—', 'Open Stint', 'Quit Stint']);
    expect(trayMenu(input())[0]).toEqual({ id: 'toggle', label: 'Start timer', enabled: true });
  });

  it('shows the crash reason as a menu line and cannot start a timer with no core', () => {
    const items = trayMenu(input({ status: null, problem: 'the tracker core stopped (exit code 1); restarting in 2 s' }));
    expect(items).toContainEqual({ id: 'problem', label: 'the tracker core stopped (exit code 1); restarting in 2 s', enabled: false });
    expect(items[0]).toMatchObject({ id: 'toggle', enabled: false });
  });

  it('offers a staged update: clickable "Restart to update", a download in progress only as a line', () => {
    expect(trayMenu(input({ update: { label: 'Restart to update to 1.3.0', actionable: true } }))).toContainEqual({ id: 'update', label: 'Restart to update to 1.3.0', enabled: true });
    expect(trayMenu(input({ update: { label: 'Downloading update 1.3.0 (40 %)', actionable: false } }))).toContainEqual({ id: 'update', label: 'Downloading update 1.3.0 (40 %)', enabled: false });
    expect(trayMenu(input()).some((i) => i.id === 'update')).toBe(false);
  });

  it('says the sync state in words', () => {
    expect(syncInWords(input({ status: status({ sync: { state: 'signed-out', lastSuccessAt: null, lastError: null } }) }))).toBe('Not signed in: nothing is uploaded');
    expect(syncInWords(input({ status: status({ sync: { state: 'paused', lastSuccessAt: null, lastError: 'device revoked' } }) }))).toBe('Sync paused: device revoked');
    expect(syncInWords(input())).toBe('All synced');
  });
});
