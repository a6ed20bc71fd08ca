import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '../../src/shared/http/auth';
import { unauthorized } from '../errors/http-error';

export const ISSUER = 'stint';
export const AUDIENCE = 'stint-api';
const ALGORITHMS = ['HS256'];

export interface Principal {
  userId: string;
  orgId: string;
  role: Role;
  /** Set when the token was exchanged for a device credential. */
  deviceId: string | null;
  /** The sign-in session (refresh-token family) a password token belongs to; sign-out ends it. */
  sessionId?: string | null;
}

/** Opaque random token (refresh, enrollment, device) and the hash the database keeps of it. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const CACHE_MAX = 10_000;

export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, until their own expiry: a device sends the same token for minutes,
   * and WebCrypto verification costs more than the rest of a small request.
   */
  private readonly verified = new Map<string, { principal: Principal; expMs: number }>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => Date,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  get expiresIn(): number {
    return this.ttlSeconds;
  }

  async issue(p: Principal): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ org: p.orgId, role: p.role, ...(p.deviceId ? { dev: p.deviceId } : {}), ...(p.sessionId ? { sid: p.sessionId } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expMs > this.now().getTime()) return hit.principal;
      this.verified.delete(token);
    }
    const principal = await this.verifyUncached(token);
    if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    return principal;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ALGORITHMS,
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const role = payload.role;
      if (typeof payload.org !== 'string' || typeof payload.sub !== 'string' || typeof role !== 'string') {
        throw unauthorized('token lacks its claims');
      }
      if (!['owner', 'admin', 'manager', 'employee'].includes(role)) throw unauthorized('token has an unknown role');
      const principal: Principal = {
        userId: payload.sub,
        orgId: payload.org,
        role: role as Role,
        deviceId: typeof payload.dev === 'string' ? payload.dev : null,
        sessionId: typeof payload.sid === 'string' ? payload.sid : null,
      };
      this.verified.set(token, { principal, expMs: (payload.exp as number) * 1000 });
      return principal;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('access token expired');
      if (err instanceof joseErrors.JOSEError) throw unauthorized(`invalid access token (${err.code})`);
      throw err;
    }
  }
}
