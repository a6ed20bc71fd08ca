import { safeStorage } from 'electron';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsSchema, type CredentialStore } from '../sync/api/credential-store';
import type { CredentialVault } from '../sync/session/credential-vault';

/**
 * The device credential and refresh token encrypted with the OS keychain (safeStorage: Keychain,
 * DPAPI, libsecret/kwallet). Where the OS offers no real key (Linux 'basic_text' backend) this
 * is refused and the caller falls back to the file vault, saying so, rather than pretending.
 */
export function safeStorageVault(): CredentialVault | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  const file = (dir: string) => join(dir, 'credentials.enc');
  const store = (dir: string): CredentialStore => ({
    load() {
      let blob: Buffer;
      try {
        blob = readFileSync(file(dir));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      return credentialsSchema.parse(JSON.parse(safeStorage.decryptString(blob)));
    },
    save(credentials) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file(dir)}.${process.pid}.tmp`;
      writeFileSync(tmp, safeStorage.encryptString(JSON.stringify(credentials)), { mode: 0o600 });
      renameSync(tmp, file(dir));
    },
  });
  return { kind: 'safeStorage', forServer: store, forget: (dir) => rmSync(file(dir), { force: true }) };
}
