import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 over the parts, base64url. Used for fs-driver blob URLs and audited full-image links. */
export function sign(secret: string, parts: Array<string | number>): string {
  return createHmac('sha256', secret).update(parts.join('\n')).digest('base64url');
}

export function verify(secret: string, parts: Array<string | number>, signature: string): boolean {
  const expected = Buffer.from(sign(secret, parts));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
