/**
 * Retry-After (RFC 9110 §10.2.3) in either form: delay-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). A date is read against the server's clock (`serverNow`),
 * since the server wrote it with its own clock. Returns milliseconds to wait, or null if absent/invalid.
 */
export function parseRetryAfter(value: string | null | undefined, serverNow: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names its day or month; bare numbers like "-5" are not dates.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - serverNow);
}
