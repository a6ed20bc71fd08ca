import { describe, expect, it } from 'vitest';
import { AccessTokens } from './tokens';

const who = { userId: '0b347bac-a40c-49e8-a34f-9574b55b02c5', orgId: '6f1c2b1e-9d7a-4c11-8f00-0a1b2c3d4e5f', role: 'employee' as const, deviceId: null, sessionId: '3c9a1f2e-5b7d-4e8a-9c0b-1d2e3f4a5b6c' };

describe('access tokens', () => {
  it('a verified token stays valid only until its own expiry, cached or not', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const tokens = new AccessTokens('s'.repeat(40), 900, () => now);
    const t = await tokens.issue(who);
    expect(await tokens.verify(t)).toEqual(who);
    now = new Date('2025-01-01T00:14:59Z');
    expect(await tokens.verify(t)).toEqual(who);
    now = new Date('2025-01-01T00:15:00Z');
    await expect(tokens.verify(t)).rejects.toMatchObject({ status: 401, detail: 'access token expired' });
  });

  it('a token signed with another secret is refused', async () => {
    const now = () => new Date();
    const t = await new AccessTokens('a'.repeat(40), 900, now).issue(who);
    await expect(new AccessTokens('b'.repeat(40), 900, now).verify(t)).rejects.toMatchObject({ status: 401 });
  });
});
