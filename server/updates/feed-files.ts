import { z } from 'zod';
import { isUpdateFileName } from '../store/blob/object-keys';

/** The channel files electron-builder writes (one per platform): latest.yml (Windows), latest-mac.yml, latest-linux.yml, latest-linux-arm64.yml. */
export const CHANNEL_FILE = /^latest(-mac|-linux|-linux-arm64)?\.yml$/;

/** What a published artefact may be: the installers, update archives and their blockmaps (differential downloads). */
export const ARTEFACT_FILE = /\.(exe|msi|dmg|zip|pkg|AppImage|deb|rpm)(\.blockmap)?$/;

export type FeedFile = { kind: 'channel' | 'artefact'; name: string };

/** A file name of the feed, or why it is not one. */
export function feedFile(name: string): FeedFile | { refused: string } {
  if (!isUpdateFileName(name)) return { refused: `"${name}" is not a file name of the update feed (letters, digits, . _ - only; no path)` };
  if (CHANNEL_FILE.test(name)) return { kind: 'channel', name };
  if (ARTEFACT_FILE.test(name)) return { kind: 'artefact', name };
  return { refused: `"${name}" is neither a latest*.yml nor an installer or update archive (.exe, .msi, .dmg, .zip, .pkg, .AppImage, .deb, .rpm, .blockmap)` };
}

/** The part of a latest*.yml the server and the publisher rely on (electron-builder's UpdateInfo). */
export const channelFileSchema = z
  .object({
    version: z.string().min(1),
    files: z
      .array(z.object({ url: z.string().min(1), sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 SHA-512'), size: z.number().int().positive() }).loose())
      .min(1),
    path: z.string().optional(),
    sha512: z.string().optional(),
    releaseDate: z.string().optional(),
  })
  .loose();
export type ChannelFile = z.infer<typeof channelFileSchema>;
