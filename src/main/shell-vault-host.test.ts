import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileCredentialVault } from '../sync/session/credential-vault';
import { receiveVaultSeed } from '../sync/port-bridge/port-vault';
import type { PortChannel } from '../sync/port-bridge/port-transport';
import { portMessageSchema } from '../shared/tracker-port-protocol';
import { tempDir } from '../sync/test-support/temp-dir';
import { shellVaultHost } from './shell-vault-host';

const channelOf = (port: MessagePort): PortChannel => ({
  post: (m) => port.postMessage(m),
  onMessage(l) {
    const f = (m: unknown) => l(m);
    port.on('message', f);
    return () => void port.off('message', f);
  },
});
const device = { kind: 'device' as const, serverUrl: 'https://a.example', deviceId: '0190e7a0-0000-7000-8000-000000000001', deviceToken: 'dt-1' };
const user = { kind: 'user' as const, serverUrl: 'https://b.example', deviceId: '0190e7a0-0000-7000-8000-000000000002', refreshToken: 'rt-1' };

// Main keeps the secrets (safeStorage in the app; the file vault stands in for it here, the port is the same).
describe('credentials kept by the shell, used by the core over a real MessagePort', () => {
  it('seeds what main holds, writes back every save and forget, and refuses folders outside servers/', async () => {
    const dir = tempDir();
    const { port1, port2 } = new MessageChannel();
    try {
      const a = join(dir.path, 'servers', 'a');
      const b = join(dir.path, 'servers', 'b');
      fileCredentialVault.forServer(a).save(device);
      const logs: string[] = [];
      const host = shellVaultHost(dir.path, fileCredentialVault, (l) => logs.push(l));
      const mainSide = channelOf(port1);
      const written = new Promise<void>((resolve) => {
        let n = 0;
        mainSide.onMessage((raw) => {
          const m = portMessageSchema.parse(raw);
          if (m.kind === 'vault-write') host.write(m.serverDir, m.credentials);
          if (++n === 3) resolve();
        });
      });
      const coreVault = receiveVaultSeed(channelOf(port2));
      mainSide.post({ kind: 'vault-seed', entries: host.seed() });
      const vault = await coreVault;
      expect(vault.forServer(a).load()).toEqual(device);
      expect(vault.forServer(b).load()).toBeNull();
      vault.forServer(b).save(user);
      vault.forget(a);
      vault.forServer(join(dir.path, 'elsewhere')).save(user);
      await written;
      expect(fileCredentialVault.forServer(b).load()).toEqual(user);
      expect(fileCredentialVault.forServer(a).load()).toBeNull();
      expect(fileCredentialVault.forServer(join(dir.path, 'elsewhere')).load()).toBeNull();
      expect(logs.join('\n')).toMatch(/refused a credential write outside/);
    } finally {
      port1.close();
      dir.remove();
    }
  });
});
