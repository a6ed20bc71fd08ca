import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** A fresh folder under the OS temp dir standing in for `release/` (or a server's data dir), and its removal. */
export function scratchDir(prefix = 'stint-release-'): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface UpdateBuild {
  dir: string;
  version: string;
  artefact: string;
  sha512: string;
  bytes: Buffer;
}

/**
 * A build folder as electron-builder leaves it for Linux: an AppImage (random bytes standing in
 * for the real one), its blockmap and latest-linux.yml with the artefact's size and base64 sha512.
 */
export function writeUpdateBuild(dir: string, version = '0.2.0', size = 256 * 1024): UpdateBuild {
  const artefact = `Stint-${version}-x86_64.AppImage`;
  const bytes = randomBytes(size);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  writeFileSync(path.join(dir, artefact), bytes);
  writeFileSync(path.join(dir, `${artefact}.blockmap`), randomBytes(512));
  const yml = { version, files: [{ url: artefact, sha512, size: bytes.length, blockMapSize: 512 }], path: artefact, sha512, releaseDate: new Date('2026-12-01T10:00:00Z').toISOString() };
  writeFileSync(path.join(dir, 'latest-linux.yml'), stringify(yml));
  return { dir, version, artefact, sha512, bytes };
}
