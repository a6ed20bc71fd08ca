import { describe, expect, it } from 'vitest';
import { TrackerError, decodeTrackerError, encodeTrackerError } from './tracker-error';

describe('a TrackerError across contextBridge (only the message survives)', () => {
  it('comes back with its code, reason and field issues', () => {
    const sent = new TrackerError('invalid_argument', 'timer.start: projectId: Invalid UUID', [{ path: 'projectId', message: 'Invalid UUID' }]);
    // Electron prefixes the message ("Error invoking remote method …: Error: …").
    const back = decodeTrackerError(new Error(`Error invoking remote method: Error: ${encodeTrackerError(sent.toJSON())}`));
    expect(back).toBeInstanceOf(TrackerError);
    expect((back as TrackerError).toJSON()).toEqual(sent.toJSON());
  });

  it('leaves any other error as it is', () => {
    const other = new Error('boom');
    expect(decodeTrackerError(other)).toBe(other);
    expect(decodeTrackerError(new Error('stint-error:{not json'))).toBeInstanceOf(Error);
  });
});
