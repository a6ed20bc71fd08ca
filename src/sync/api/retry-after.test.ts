import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const serverNow = Date.parse('2026-10-21T07:27:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', serverNow)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', serverNow)).toBe(0);
  });

  it('reads an HTTP-date against the server clock', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', serverNow)).toBe(60_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', serverNow)).toBe(0);
  });

  it('ignores absent, negative and garbage values', () => {
    expect(parseRetryAfter(undefined, serverNow)).toBeNull();
    expect(parseRetryAfter('', serverNow)).toBeNull();
    expect(parseRetryAfter('-5', serverNow)).toBeNull();
    expect(parseRetryAfter('soon', serverNow)).toBeNull();
  });
});
