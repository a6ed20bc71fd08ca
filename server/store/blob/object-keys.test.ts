import { describe, expect, it } from 'vitest';
import { isSafeKey, screenshotKey, thumbKey, updateKey } from './object-keys';

const org = '6f1c2b1e-9d7a-4c11-8f00-0a1b2c3d4e5f';
const user = '0b347bac-a40c-49e8-a34f-9574b55b02c5';
const shot = '01900000-0000-7000-8000-000000000001';

describe('object keys are built only by the server', () => {
  it('follow org/<org>/user/<user>/<yyyy>/<mm>/<dd>/<id>.<ext> in UTC', () => {
    const key = screenshotKey({ orgId: org, userId: user, screenshotId: shot, takenAt: new Date('2024-03-09T23:59:59.999Z'), contentType: 'image/webp' });
    expect(key).toBe(`org/${org}/user/${user}/2024/03/09/${shot}.webp`);
    expect(thumbKey(key)).toBe(`org/${org}/user/${user}/2024/03/09/${shot}.thumb.webp`);
    expect(isSafeKey(key) && isSafeKey(thumbKey(key))).toBe(true);
  });

  it('refuse ids that are not UUIDs and unknown content types', () => {
    expect(() => screenshotKey({ orgId: '../..', userId: user, screenshotId: shot, takenAt: new Date(), contentType: 'image/webp' })).toThrow(/uuid/);
    expect(() => screenshotKey({ orgId: org, userId: user, screenshotId: shot, takenAt: new Date(), contentType: 'text/html' })).toThrow(/content type/);
  });

  it('anything else is not a safe key', () => {
    for (const k of ['../etc/passwd', `org/${org}/../../x`, `/org/${org}/user/${user}/2024/03/09/${shot}.webp`, `org/${org}/user/${user}/2024/03/09/${shot}.webp/../../x`, '']) {
      expect(isSafeKey(k), k).toBe(false);
    }
  });
});

describe('update feed keys', () => {
  it('are updates/<channel>/<file>, with plain file names only', () => {
    expect(updateKey('stable', 'Stint-1.2.0-x64.exe')).toBe('updates/stable/Stint-1.2.0-x64.exe');
    expect(isSafeKey('updates/beta/latest-mac.yml')).toBe(true);
    for (const [channel, file] of [['stable', '../secret'], ['stable', 'a/b.exe'], ['../x', 'latest.yml'], ['stable', '.hidden'], ['Stable', 'latest.yml'], ['stable', 'x..exe']]) {
      expect(() => updateKey(channel!, file!), `${channel}/${file}`).toThrow(/not an update/);
    }
    for (const k of ['updates/stable/../../x', 'updates/stable/a/b', 'updates/stable/', 'updates//latest.yml']) expect(isSafeKey(k), k).toBe(false);
  });
});
