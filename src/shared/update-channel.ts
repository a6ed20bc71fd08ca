import { z } from 'zod';

/**
 * The update channels a Stint server publishes (`/updates/<channel>/`) and a device follows (the
 * managed policy's update channel names one). `stable` is what a fleet gets; `beta` is for a
 * pilot group that IT points at it first.
 */
export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
export const updateChannelSchema = z.enum(UPDATE_CHANNELS);
export type UpdateChannel = z.infer<typeof updateChannelSchema>;
export const DEFAULT_UPDATE_CHANNEL: UpdateChannel = 'stable';

/** The feed of a channel on a server: electron-updater's generic provider reads latest*.yml here. */
export function updateFeedUrl(serverUrl: string, channel: UpdateChannel): string {
  return `${serverUrl.replace(/\/+$/, '')}/updates/${channel}/`;
}
