import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../test-support/fixture';

const fx = useTestServer();

describe('push keeps a batch whole when app names or titles are not valid text for PostgreSQL', () => {
  it('a title cut inside an emoji (a lone surrogate) or holding a NUL is stored with U+FFFD, and the other ops apply', async () => {
    const minuteStart = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
    const minuteId = uuidv7();
    const ops = [
      { id: uuidv7(), kind: 'activity.minute', minute: { id: minuteId, entryId: null, minuteStart, activeSeconds: 10, trackedSeconds: 60, apps: [{ app: 'term\u0000inal', title: 'ok 😀 build \ud83d', seconds: 10 }] } },
      { id: uuidv7(), kind: 'activity.minute', minute: { id: uuidv7(), entryId: null, minuteStart, activeSeconds: 5, trackedSeconds: 60, apps: [{ app: 'editor', seconds: 5 }] } },
    ];
    const r = await fx.as('employee').post<{ results: Array<{ outcome: string }> }>('/v1/sync/push', { deviceId: uuidv7(), sentAt: new Date().toISOString(), ops });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.outcome)).toEqual(['applied', 'applied']);
    const row = await fx.srv.db.system(async (tx) => (await tx.query<{ apps: unknown }>('SELECT apps FROM activity_minutes WHERE id = $1', [minuteId])).rows[0]);
    expect(row?.apps).toEqual([{ app: 'term\ufffdinal', title: 'ok 😀 build \ufffd', seconds: 10 }]);
  });
});
