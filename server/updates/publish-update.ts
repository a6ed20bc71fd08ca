import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UPDATE_CHANNELS, updateChannelSchema } from '../../src/shared/update-channel';
import type { BlobStore } from '../store/blob/blob-store';
import { updateKey } from '../store/blob/object-keys';
import { CHANNEL_FILE, channelFileSchema, feedFile } from './feed-files';

/** The build folder cannot be published as it is; nothing was uploaded. */
export class PublishRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(`refused, nothing uploaded:\n${reasons.map((r) => `  - ${r}`).join('\n')}`);
  }
}

export interface PublishReport {
  channel: string;
  /** Version per channel file, e.g. { 'latest-linux.yml': '0.2.0' }. */
  versions: Record<string, string>;
  uploaded: string[];
  /** Already on the server with the same bytes. */
  unchanged: string[];
}

async function digests(file: string): Promise<{ sha512: string; md5: string; size: number }> {
  const sha = createHash('sha512');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
    size += chunk.length;
  }
  return { sha512: sha.digest('base64'), md5: md5.digest('hex'), size };
}

/**
 * Uploads electron-builder's output folder (`release/`) to a channel of the update feed:
 * every artefact a latest*.yml names must be in the folder with the size and sha512 the yml
 * says, and an artefact already published under the same name must hold the same bytes (names
 * carry the version: a published file is never rewritten). Any problem refuses the whole folder
 * before one byte is uploaded. Artefacts (and their .blockmap) go first, the yml files last, so a
 * device never reads a yml whose artefact is not there yet.
 */
export async function publishUpdate(blobs: BlobStore, dir: string, channel: string): Promise<PublishReport> {
  const known = updateChannelSchema.safeParse(channel);
  if (!known.success) throw new PublishRefused([`unknown channel "${channel}": use one of ${UPDATE_CHANNELS.join(', ')}`]);
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new PublishRefused([`cannot read the build folder ${dir}: ${err.code ?? err.message}`]);
  });
  const channelFiles = names.filter((n) => CHANNEL_FILE.test(n)).sort();
  if (channelFiles.length === 0) throw new PublishRefused([`no latest*.yml in ${dir}: give the folder electron-builder wrote (release/ after npm run package)`]);

  const reasons: string[] = [];
  const versions: Record<string, string> = {};
  const artefacts = new Map<string, { md5: string }>();
  for (const yml of channelFiles) {
    let raw: unknown;
    try {
      raw = parse(await readFile(path.join(dir, yml), 'utf8'));
    } catch (err) {
      reasons.push(`${yml}: not YAML (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const info = channelFileSchema.safeParse(raw);
    if (!info.success) {
      for (const i of info.error.issues) reasons.push(`${yml}: ${i.path.join('.') || '(top)'}: ${i.message}`);
      continue;
    }
    versions[yml] = info.data.version;
    if (known.data === 'stable' && /^\d+\.\d+\.\d+-/.test(info.data.version)) {
      reasons.push(`${yml}: version ${info.data.version} is a pre-release: publish it on beta, not stable`);
    }
    for (const f of info.data.files) {
      const name = feedFile(f.url);
      if ('refused' in name || name.kind !== 'artefact') {
        reasons.push(`${yml}: ${f.url} is not an artefact beside the yml (${'refused' in name ? name.refused : 'a channel file'})`);
        continue;
      }
      const local = path.join(dir, f.url);
      if (!existsSync(local)) {
        reasons.push(`${yml}: ${f.url} is not in ${dir}`);
        continue;
      }
      const d = await digests(local);
      if (d.size !== f.size) reasons.push(`${yml}: ${f.url} is ${d.size} bytes, the yml says ${f.size}`);
      if (d.sha512 !== f.sha512) reasons.push(`${yml}: sha512 mismatch for ${f.url}: the yml says ${f.sha512.slice(0, 16)}…, the file is ${d.sha512.slice(0, 16)}…`);
      artefacts.set(f.url, { md5: d.md5 });
      const blockmap = `${f.url}.blockmap`;
      if (existsSync(path.join(dir, blockmap))) artefacts.set(blockmap, { md5: (await digests(path.join(dir, blockmap))).md5 });
    }
    if (info.data.path && info.data.sha512 && !info.data.files.some((f) => f.url === info.data.path && f.sha512 === info.data.sha512)) {
      reasons.push(`${yml}: path/sha512 (${info.data.path}) do not match any entry of files`);
    }
  }

  const unchanged: string[] = [];
  for (const [name, local] of artefacts) {
    const there = await blobs.head(updateKey(known.data, name));
    if (!there) continue;
    if (there.md5Hex === local.md5) unchanged.push(name);
    else reasons.push(`${name} is already published on ${known.data} with other bytes: a published artefact is never replaced (build a new version)`);
  }
  if (reasons.length > 0) throw new PublishRefused(reasons);

  const uploaded: string[] = [];
  for (const name of [...artefacts.keys()].filter((n) => !unchanged.includes(n))) {
    await blobs.put(updateKey(known.data, name), await readFile(path.join(dir, name)), 'application/octet-stream');
    uploaded.push(name);
  }
  for (const yml of channelFiles) {
    await blobs.put(updateKey(known.data, yml), await readFile(path.join(dir, yml)), 'text/yaml');
    uploaded.push(yml);
  }
  return { channel: known.data, versions, uploaded, unchanged };
}
