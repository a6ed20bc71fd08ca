import { forbidden, notFound } from '../errors/http-error';
import { sign, verify } from '../store/blob/url-signer';
import { findScreenshot, hasObject } from '../store/screenshots.repository';
import { audit } from './audit';
import type { ServiceContext } from './context';
import type { Principal } from '../auth/tokens';

/** Signed view URLs live minutes, never days. */
export const VIEW_URL_SECONDS = 300;
/**
 * View URLs are signed as of the start of a bucket this long, so a timeline reopened within it
 * gets the same URLs (served from the browser's cache) and each still has at least
 * VIEW_URL_SECONDS - VIEW_URL_BUCKET_SECONDS to live; none lives longer than VIEW_URL_SECONDS.
 */
export const VIEW_URL_BUCKET_SECONDS = 120;

/** The signing instant of `now`'s bucket and when URLs signed then expire (epoch seconds). */
export function viewUrlWindow(now: Date, seconds = VIEW_URL_SECONDS): { signedAt: Date; expires: number } {
  const start = Math.floor(now.getTime() / 1000 / VIEW_URL_BUCKET_SECONDS) * VIEW_URL_BUCKET_SECONDS;
  return { signedAt: new Date(start * 1000), expires: start + seconds };
}

/**
 * URLs the viewer's <img> can load without a bearer token. The thumbnail is a store URL; the
 * full image goes through /v1/screenshots/:id/full (signed for this viewer) so that each view
 * of a full-size image is written to the audit log before the redirect to the store.
 */
export async function signedViewUrls(
  ctx: ServiceContext,
  viewer: Principal,
  row: { id: string; org_id: string; thumb_key: string | null },
): Promise<{ thumbUrl: string | null; fullUrl: string }> {
  const { signedAt, expires } = viewUrlWindow(ctx.now());
  const thumbUrl = row.thumb_key ? await ctx.blobs.presignGet(row.thumb_key, VIEW_URL_SECONDS, signedAt) : null;
  const sig = sign(ctx.settings.secret, ['full', row.id, row.org_id, viewer.userId, expires]);
  const fullUrl = `${ctx.publicUrl()}/v1/screenshots/${row.id}/full?org=${row.org_id}&viewer=${viewer.userId}&expires=${expires}&signature=${sig}`;
  return { thumbUrl, fullUrl };
}

function checkFullUrl(
  ctx: ServiceContext,
  id: string,
  q: { org?: unknown; viewer?: unknown; expires?: unknown; signature?: unknown },
): { orgId: string; viewerId: string } | 'expired' | 'invalid' {
  const { org, viewer, signature } = q;
  const expires = Number(q.expires);
  if (typeof org !== 'string' || typeof viewer !== 'string' || typeof signature !== 'string' || !Number.isInteger(expires)) return 'invalid';
  if (!verify(ctx.settings.secret, ['full', id, org, viewer, expires], signature)) return 'invalid';
  if (expires * 1000 < ctx.now().getTime()) return 'expired';
  return { orgId: org, viewerId: viewer };
}

/**
 * The full-size image behind a signed view link: checks the link, writes the view to the audit
 * log, and returns a short-lived store URL to redirect to.
 */
export async function openFullImage(ctx: ServiceContext, id: string, q: Parameters<typeof checkFullUrl>[2]): Promise<string> {
  const check = checkFullUrl(ctx, id, q);
  if (check === 'invalid') throw forbidden('invalid signature');
  if (check === 'expired') throw forbidden('this link has expired: reload the timeline');
  const row = await ctx.db.inOrg(check.orgId, async (tx) => {
    const shot = await findScreenshot(tx, id);
    if (!shot || !hasObject(shot.state)) throw notFound('no such screenshot');
    await audit(tx, { orgId: check.orgId, userId: check.viewerId }, 'screenshot.view_full', 'screenshot', id, { userId: shot.user_id });
    return shot;
  });
  // Bucketed like the view URLs, so the browser's copy of the image serves a re-opened view
  // (the redirect itself is never cached: each view is audited).
  return ctx.blobs.presignGet(row.object_key, VIEW_URL_SECONDS, viewUrlWindow(ctx.now()).signedAt);
}
