import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileCredentialVault, memoryCredentialVault, type CredentialVault } from './credential-vault';
import { tempDir } from '../test-support/temp-dir';

const device = { kind: 'device' as const, serverUrl: 'https://a.example', deviceId: '0190e7a0-0000-7000-8000-000000000001', deviceToken: 'dt-1' };
const user = { kind: 'user' as const, serverUrl: 'https://b.example', deviceId: '0190e7a0-0000-7000-8000-000000000002', refreshToken: 'rt-1' };

describe.each([
  ['file', () => fileCredentialVault],
  ['memory', () => memoryCredentialVault()],
] as Array<[string, () => CredentialVault]>)('the %s credential vault', (_name, make) => {
  it('keeps one credential per server folder, replaces it, and forgets it at sign-out', () => {
    const dir = tempDir();
    try {
      const vault = make();
      const a = join(dir.path, 'a');
      const b = join(dir.path, 'b');
      expect(vault.forServer(a).load()).toBeNull();
      vault.forServer(a).save(device);
      vault.forServer(b).save(user);
      expect(vault.forServer(a).load()).toEqual(device);
      vault.forServer(b).save({ ...user, refreshToken: 'rt-2' });
      expect(vault.forServer(b).load()).toEqual({ ...user, refreshToken: 'rt-2' });
      vault.forget(a);
      expect(vault.forServer(a).load()).toBeNull();
      expect(vault.forServer(b).load()).not.toBeNull();
    } finally {
      dir.remove();
    }
  });
});

it('the file vault writes owner-only files (what the agent has always done)', () => {
  const dir = tempDir();
  try {
    fileCredentialVault.forServer(dir.path).save(device);
    expect(statSync(join(dir.path, 'credentials.json')).mode & 0o777).toBe(0o600);
  } finally {
    dir.remove();
  }
});
