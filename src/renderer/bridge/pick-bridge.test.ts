import { describe, expect, it } from 'vitest';
import { TrackerError, encodeTrackerError } from '../../shared/tracker-error';
import type { StintPreload } from '../../shared/preload-contract';
import type { TrackerApi } from '../../shared/tracker-api';
import { pickBridge } from './pick-bridge';

// What the preload hands the page: its rejections are plain Errors (contextBridge keeps only the message).
function preloadWindow(fail: TrackerError | null): Window {
  const api = new Proxy({} as TrackerApi, {
    get: () => async () => {
      if (fail) throw new Error(`Error invoking remote method 'stint:timer.start': Error: ${encodeTrackerError(fail.toJSON())}`);
      return { ok: true };
    },
  });
  const stint: StintPreload = { api, onEvent: () => () => undefined };
  return { stint } as unknown as Window;
}

describe('pickBridge over the Electron preload', () => {
  it('uses window.stint and turns its errors back into TrackerErrors with the field reasons', async () => {
    const bridge = pickBridge(preloadWindow(new TrackerError('invalid_argument', 'projectId: Invalid UUID', [{ path: 'projectId', message: 'Invalid UUID' }])));
    if ('error' in bridge) throw new Error(bridge.error);
    const err = await bridge.api['timer.start']({ projectId: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerError);
    expect((err as TrackerError).code).toBe('invalid_argument');
    expect((err as TrackerError).issues).toEqual([{ path: 'projectId', message: 'Invalid UUID' }]);
  });

  it('passes results through', async () => {
    const bridge = pickBridge(preloadWindow(null));
    if ('error' in bridge) throw new Error(bridge.error);
    expect(await bridge.api['sync.retry']({})).toEqual({ ok: true });
  });
});
