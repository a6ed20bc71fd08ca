import { UPDATE_CHANNELS, updateChannelSchema } from '../../src/shared/update-channel';
import { badRequest, notFound } from '../errors/http-error';
import { updateKey } from '../store/blob/object-keys';
import { feedFile } from '../updates/feed-files';
import type { ServiceContext } from './context';

/** How long a redirect to an artefact stays valid: S3 checks a signature when a request starts, so a slow download is not cut off. */
export const ARTEFACT_URL_SECONDS = 3600;

export type FeedAnswer = { kind: 'channel'; body: Buffer } | { kind: 'artefact'; location: string };

/**
 * One file of a channel's update feed: a latest*.yml read from the blob store, or an artefact as
 * a signed store URL (the server never carries installer bytes itself, as with screenshots).
 * Unknown channels are 404, names that are no feed file 400, nothing published 404.
 */
export async function readFeedFile(ctx: Pick<ServiceContext, 'blobs' | 'now'>, channel: string, name: string): Promise<FeedAnswer> {
  const known = updateChannelSchema.safeParse(channel);
  if (!known.success) throw notFound(`unknown update channel "${channel}": this server publishes ${UPDATE_CHANNELS.join(', ')}`);
  const file = feedFile(name);
  if ('refused' in file) throw badRequest(file.refused);
  const key = updateKey(known.data, file.name);
  if ((await ctx.blobs.size(key)) === null) throw notFound(`nothing published as ${file.name} on the ${known.data} channel`);
  if (file.kind === 'channel') return { kind: 'channel', body: await ctx.blobs.get(key) };
  return { kind: 'artefact', location: await ctx.blobs.presignGet(key, ARTEFACT_URL_SECONDS, ctx.now()) };
}
