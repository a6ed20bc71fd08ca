const EXT: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The only place object keys are made: org/<orgId>/user/<userId>/<yyyy>/<mm>/<dd>/<screenshotId>.<ext> */
export function screenshotKey(p: { orgId: string; userId: string; screenshotId: string; takenAt: Date; contentType: string }): string {
  for (const id of [p.orgId, p.userId, p.screenshotId]) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  const ext = EXT[p.contentType];
  if (!ext) throw new Error(`unsupported content type ${p.contentType}`);
  const d = p.takenAt.toISOString();
  return `org/${p.orgId}/user/${p.userId}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${p.screenshotId}.${ext}`;
}

/** org/<orgId>/user/<userId>/ — every object of one user lives under it (GDPR erasure deletes by it). */
export function userKeyPrefix(orgId: string, userId: string): string {
  for (const id of [orgId, userId]) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return `org/${orgId}/user/${userId}/`;
}

export function isUserKeyPrefix(prefix: string): boolean {
  return /^org\/[0-9a-f-]{36}\/user\/[0-9a-f-]{36}\/$/.test(prefix);
}

export function thumbKey(fullKey: string): string {
  return fullKey.replace(/\.[a-z]+$/, '.thumb.webp');
}

/** A key as the server builds them (a screenshot's or an update file's): no traversal, no absolute paths, only safe characters. */
export function isSafeKey(key: string): boolean {
  return /^org\/[0-9a-f-]{36}\/user\/[0-9a-f-]{36}\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}(\.thumb)?\.[a-z]+$/.test(key) || isUpdateKey(key);
}

/** The update feed's files (server/services/update-feed.ts): latest*.yml and the artefacts they name. */
const UPDATE_FILE = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const UPDATE_CHANNEL = /^[a-z]{1,32}$/;

/** updates/<channel>/<file>: one flat folder per channel, file names without any path. */
export function updateKey(channel: string, file: string): string {
  if (!UPDATE_CHANNEL.test(channel)) throw new Error(`not an update channel name: ${channel}`);
  if (!UPDATE_FILE.test(file)) throw new Error(`not an update file name: ${file}`);
  return `updates/${channel}/${file}`;
}

export function isUpdateKey(key: string): boolean {
  const [root, channel = '', file = '', ...rest] = key.split('/');
  return root === 'updates' && rest.length === 0 && UPDATE_CHANNEL.test(channel) && UPDATE_FILE.test(file);
}

export function isUpdateFileName(file: string): boolean {
  return UPDATE_FILE.test(file);
}
