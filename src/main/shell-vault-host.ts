import { existsSync, readdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { credentialsSchema } from '../sync/api/credential-store';
import type { CredentialVault } from '../sync/session/credential-vault';

/** Main's half of the core's shell vault (src/sync/port-bridge/port-vault.ts): seed it, and write what it saves. */
export interface ShellVaultHost {
  seed(): Array<{ serverDir: string; credentials: unknown }>;
  write(serverDir: string, credentials: unknown): void;
}

export function shellVaultHost(dataDir: string, vault: CredentialVault, log: (line: string) => void): ShellVaultHost {
  const servers = resolve(dataDir, 'servers');
  // The core names a folder; only folders under this data dir's servers/ are written.
  const inside = (dir: string) => resolve(dir).startsWith(servers + sep);
  return {
    seed() {
      if (!existsSync(servers)) return [];
      return readdirSync(servers, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => {
          const serverDir = join(servers, d.name);
          try {
            const credentials = vault.forServer(serverDir).load();
            return credentials ? [{ serverDir, credentials }] : [];
          } catch (err) {
            log(`cannot read the credential in ${serverDir}: ${(err as Error).message}`);
            return [];
          }
        });
    },
    write(serverDir, credentials) {
      if (!inside(serverDir)) return log(`refused a credential write outside ${servers}: ${serverDir}`);
      if (credentials === null) return vault.forget(serverDir);
      const parsed = credentialsSchema.safeParse(credentials);
      if (parsed.success) vault.forServer(serverDir).save(parsed.data);
      else log(`refused a malformed credential for ${serverDir}`);
    },
  };
}
