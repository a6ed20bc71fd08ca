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

/** A key as the server builds them: no traversal, no absolute paths, only safe characters. */
export function isSafeKey(key: string): boolean {
  return /^org\/[0-9a-f-]{36}\/user\/[0-9a-f-]{36}\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}(\.thumb)?\.[a-z]+$/.test(key);
}
