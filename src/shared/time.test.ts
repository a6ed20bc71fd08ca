import { describe, expect, it } from 'vitest';
import { ianaZone } from './time';

describe('ianaZone', () => {
  it('accepts a zone name, again from what it remembers, and refuses what is not one with the reason', () => {
    for (let i = 0; i < 2; i++) {
      expect(ianaZone.parse('Asia/Kathmandu')).toBe('Asia/Kathmandu');
      expect(ianaZone.parse('UTC')).toBe('UTC');
    }
    const bad = ianaZone.safeParse('Mars/Olympus_Mons');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('must be an IANA time zone name');
    expect(ianaZone.safeParse('').success).toBe(false);
  });
});
