import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../test-support/fixture';

const fx = useTestServer();

const pushFrom = (deviceId: string, who: 'employee' | 'employee2' = 'employee') =>
  fx.as(who).post<{ detail: string }>('/v1/sync/push', {
    deviceId,
    sentAt: new Date().toISOString(),
    ops: [{ id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString(), activeSeconds: 1, trackedSeconds: 60, apps: [] } }],
  });

describe('a device signed in with a password is registered on first use', () => {
  it('six first requests at once from a new device all pass (five rounds), and it is registered once', async () => {
    for (let round = 0; round < 5; round++) {
      const deviceId = uuidv7();
      const replies = await Promise.all(Array.from({ length: 6 }, () => pushFrom(deviceId)));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const rows = await fx.srv.db.system(async (tx) => (await tx.query('SELECT user_id FROM devices WHERE id = $1', [deviceId])).rows);
      expect(rows).toEqual([{ user_id: fx.srv.seed.employee.id }]);
    }
  });

  it('a device id another user registered stays theirs: 403', async () => {
    const deviceId = uuidv7();
    expect((await pushFrom(deviceId)).status).toBe(200);
    const r = await pushFrom(deviceId, 'employee2');
    expect(r.status).toBe(403);
    expect(r.body.detail).toBe('this device id belongs to someone else');
  });
});
