import type { CredentialStore } from '../api/credential-store';
import type { ServerClient } from '../api/server-client';

/** IT's path: an enrollment token becomes this device's long-lived, revocable credential. */
export async function enrollDevice(
  client: ServerClient,
  store: CredentialStore,
  input: { enrollmentToken: string; deviceId: string; name: string; platform: 'linux' | 'darwin' | 'win32' },
): Promise<void> {
  const res = await client.enroll(input);
  store.save({ kind: 'device', serverUrl: client.baseUrl, deviceId: res.deviceId, deviceToken: res.deviceToken });
  client.session.signedIn();
  client.session.user = res.user;
}

/** A person's path: email + password give an access token and a rotating refresh token. */
export async function signInWithPassword(
  client: ServerClient,
  store: CredentialStore,
  input: { email: string; password: string; deviceId: string },
): Promise<void> {
  const res = await client.signIn(input);
  if (!res.refreshToken) throw new Error('sign-in answered without a refresh token');
  store.save({ kind: 'user', serverUrl: client.baseUrl, deviceId: input.deviceId, refreshToken: res.refreshToken });
  client.session.adopt(res);
}
