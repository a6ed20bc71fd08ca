import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileCredentialStore, memoryCredentialStore, type CredentialStore } from '../api/credential-store';

/**
 * Port: where each server's device credential or refresh token is kept. The agent keeps a 0600
 * file in the server's folder (fileCredentialVault); the Electron shell passes a safeStorage
 * backend (src/main/safe-storage-vault.ts); tests use memoryCredentialVault.
 */
export interface CredentialVault {
  /** Human name for logs ("file", "memory", "safeStorage"). */
  readonly kind: string;
  forServer(serverDir: string): CredentialStore;
  /** Sign-out: the next start needs a sign-in or an enrollment token again. */
  forget(serverDir: string): void;
}

export const fileCredentialVault: CredentialVault = {
  kind: 'file',
  forServer: (serverDir) => fileCredentialStore(join(serverDir, 'credentials.json')),
  forget: (serverDir) => rmSync(join(serverDir, 'credentials.json'), { force: true }),
};

export function memoryCredentialVault(): CredentialVault {
  const stores = new Map<string, CredentialStore>();
  return {
    kind: 'memory',
    forServer(serverDir) {
      let store = stores.get(serverDir);
      if (!store) stores.set(serverDir, (store = memoryCredentialStore()));
      return store;
    },
    forget: (serverDir) => void stores.delete(serverDir),
  };
}
