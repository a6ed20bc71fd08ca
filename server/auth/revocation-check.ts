import { unauthorized } from '../errors/http-error';
import type { Queryable } from '../store/db';
import { isDeviceRevoked } from '../store/devices.repository';
import { isFamilyRevoked } from '../store/refresh-tokens.repository';
import type { Principal } from './tokens';

const CACHE_MAX = 10_000;
/**
 * How long a "still live" answer is trusted. A revocation through this process marks the entry
 * at once; this bound is for revocations made by another server process on the same database.
 */
const LIVE_TTL_MS = 5_000;

type Key = `device:${string}` | `session:${string}`;

/**
 * Access tokens are short-lived JWTs, but a revoked device or a signed-out session must lose
 * them at once: every authenticated request asks this check (one primary-key or indexed lookup,
 * cached per device or session).
 */
export class RevocationCheck {
  private readonly entries = new Map<Key, { revoked: boolean; untilMs: number }>();

  constructor(
    private readonly q: Queryable,
    private readonly now: () => Date,
  ) {}

  async assertLive(p: Principal): Promise<void> {
    const key: Key | null = p.deviceId ? `device:${p.deviceId}` : p.sessionId ? `session:${p.sessionId}` : null;
    if (!key) return;
    if (await this.revoked(key)) throw unauthorized(p.deviceId ? 'this device was revoked' : 'this session was signed out');
  }

  /** Called after a revocation committed: from now on this process refuses the device's tokens. */
  deviceRevoked(deviceId: string): void {
    this.remember(`device:${deviceId}`, true);
  }

  sessionRevoked(familyId: string): void {
    this.remember(`session:${familyId}`, true);
  }

  private async revoked(key: Key): Promise<boolean> {
    const hit = this.entries.get(key);
    if (hit && (hit.revoked || hit.untilMs > this.now().getTime())) return hit.revoked;
    const id = key.slice(key.indexOf(':') + 1);
    const revoked = key.startsWith('device:') ? await isDeviceRevoked(this.q, id) : await isFamilyRevoked(this.q, id);
    this.remember(key, revoked);
    return this.entries.get(key)?.revoked ?? revoked;
  }

  private remember(key: Key, revoked: boolean): void {
    // A revocation is final: a lookup that raced it must not turn the entry back to live.
    if (this.entries.get(key)?.revoked) return;
    this.entries.delete(key);
    if (this.entries.size >= CACHE_MAX) this.entries.delete(this.entries.keys().next().value as Key);
    this.entries.set(key, { revoked, untilMs: this.now().getTime() + LIVE_TTL_MS });
  }
}
