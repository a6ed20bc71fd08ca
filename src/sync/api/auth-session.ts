import type { AxiosInstance } from 'axios';
import { tokenResponseSchema, type TokenResponse, type UserSummary } from '../../shared/http/auth';
import type { CredentialStore } from './credential-store';
import { SignInRequiredError, toHttpFailure } from './http-failure';

/** Refresh a little before the server would refuse the token (a tenth of its life, at most 30 s). */
const MAX_EXPIRY_MARGIN_MS = 30_000;

/**
 * Holds the short-lived access token and gets a new one from the stored credential:
 * a device token through /v1/auth/device, a rotating refresh token through /v1/auth/refresh.
 * All callers share one refresh in flight. A refused credential (revoked device, spent refresh
 * token) becomes SignInRequiredError and stays so until `signedIn()`: nothing is deleted.
 */
export class AuthSession {
  private token: { value: string; expiresAt: number; margin: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private refused: string | null = null;
  user: UserSummary | null = null;
  /** How many token exchanges went to the server (tests and the bench read it). */
  exchanges = 0;

  constructor(
    private readonly http: AxiosInstance,
    private readonly store: CredentialStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Why sync is paused, or null when the credential is usable. */
  get signInRequired(): string | null {
    return this.refused;
  }

  get hasCredentials(): boolean {
    return this.store.load() !== null;
  }

  /** A new credential was stored (enrolled or signed in again): forget the refusal and the old token. */
  signedIn(): void {
    this.refused = null;
    this.token = null;
  }

  /** Adopt a token response that came with a fresh sign-in. */
  adopt(response: TokenResponse): void {
    const lifetime = response.expiresIn * 1000;
    this.token = { value: response.accessToken, expiresAt: this.now() + lifetime, margin: Math.min(MAX_EXPIRY_MARGIN_MS, lifetime / 10) };
    this.user = response.user;
    this.refused = null;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - this.token.margin > this.now()) return this.token.value;
    return this.refresh(this.token?.value ?? null);
  }

  /**
   * Get a new access token because `stale` was refused (or expired). If another caller already
   * replaced it, that newer token is returned without another exchange.
   */
  refresh(stale: string | null): Promise<string> {
    if (this.token && stale !== null && this.token.value !== stale) return Promise.resolve(this.token.value);
    if (this.refused) return Promise.reject(new SignInRequiredError(this.refused));
    this.refreshing ??= this.exchange().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * The server refused an action (403): find out whether it is this credential (a revoked device,
   * an ended session) by exchanging it anew. Throws SignInRequiredError if so.
   */
  async reauthenticate(): Promise<void> {
    await this.refresh(this.token?.value ?? null).then(() => undefined);
  }

  private async exchange(): Promise<string> {
    const credentials = this.store.load();
    if (!credentials) throw new SignInRequiredError('this device is not enrolled or signed in');
    this.exchanges++;
    let response: TokenResponse;
    try {
      const res =
        credentials.kind === 'device'
          ? await this.http.post('/v1/auth/device', { deviceId: credentials.deviceId, deviceToken: credentials.deviceToken })
          : await this.http.post('/v1/auth/refresh', { refreshToken: credentials.refreshToken });
      response = tokenResponseSchema.parse(res.data);
    } catch (err) {
      const failure = toHttpFailure(err);
      if (failure.status === 400 || failure.status === 401 || failure.status === 403) {
        this.token = null;
        this.refused =
          credentials.kind === 'device' ? `the server refused this device (${failure.reason})` : `the session ended (${failure.reason})`;
        throw new SignInRequiredError(this.refused);
      }
      throw err;
    }
    // A rotated refresh token is stored before the access token is used: the old one is spent now.
    if (credentials.kind === 'user') {
      if (!response.refreshToken) throw new Error('refresh answered without a new refresh token');
      this.store.save({ ...credentials, refreshToken: response.refreshToken });
    }
    this.adopt(response);
    return response.accessToken;
  }
}
