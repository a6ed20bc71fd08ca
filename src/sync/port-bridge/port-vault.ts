import { credentialsSchema, type CredentialStore, type Credentials } from '../api/credential-store';
import type { CredentialVault } from '../session/credential-vault';
import { portMessageSchema } from '../../shared/tracker-port-protocol';
import type { PortChannel } from './port-transport';

/**
 * The core's credential vault when the shell keeps the secrets (Electron safeStorage is a
 * main-process API): main seeds what it holds before the core starts, the core reads from memory
 * (the CredentialStore port is synchronous) and posts every save or forget back for main to
 * encrypt and write. A write reaches main before the core's next network call can need it.
 */
export function receiveVaultSeed(channel: PortChannel, timeoutMs = 10_000): Promise<CredentialVault> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('the shell sent no credentials (vault-seed) in time'));
    }, timeoutMs);
    const off = channel.onMessage((raw) => {
      const m = portMessageSchema.safeParse(raw);
      if (!m.success || m.data.kind !== 'vault-seed') return;
      clearTimeout(timer);
      off();
      const held = new Map<string, Credentials>();
      for (const e of m.data.entries) {
        const c = credentialsSchema.safeParse(e.credentials);
        if (c.success) held.set(e.serverDir, c.data);
      }
      resolve(hostVault(channel, held));
    });
  });
}

function hostVault(channel: PortChannel, held: Map<string, Credentials>): CredentialVault {
  const store = (serverDir: string): CredentialStore => ({
    load: () => held.get(serverDir) ?? null,
    save(credentials) {
      held.set(serverDir, credentials);
      channel.post({ kind: 'vault-write', serverDir, credentials });
    },
  });
  return {
    kind: 'shell',
    forServer: store,
    forget(serverDir) {
      held.delete(serverDir);
      channel.post({ kind: 'vault-write', serverDir, credentials: null });
    },
  };
}
