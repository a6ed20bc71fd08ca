import { Router } from 'express';
import { badRequest } from '../errors/http-error';
import type { ServiceContext } from '../services/context';
import { readFeedFile } from '../services/update-feed.service';

/** A channel file may be a minute old: a new release reaches the fleet within a minute, and a CDN in front absorbs the polling. */
export const CHANNEL_FILE_CACHE_CONTROL = 'public, max-age=60';

/**
 * The self-hosted update feed electron-updater's generic provider reads: GET /updates/<channel>/<file>.
 * Public like any download page (installers are not secrets); what protects a device is the
 * sha512 in latest*.yml and, on Windows and macOS, the code signature the updater checks.
 */
export function updateRoutes(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/updates/:channel/:file', async (req, res) => {
    const answer = await readFeedFile(ctx, req.params.channel, req.params.file);
    if (answer.kind === 'channel') {
      res.setHeader('Cache-Control', CHANNEL_FILE_CACHE_CONTROL);
      res.type('text/yaml').send(answer.body);
      return;
    }
    // The signed URL is a short-lived credential: the redirect is not kept; the store answers the
    // bytes as immutable (a published artefact's name carries its version and is never rewritten).
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, answer.location);
  });
  // Deeper paths are never feed files ("/updates/stable/../x" arrives here only if a client sent it raw).
  r.get('/updates/*rest', () => {
    throw badRequest('update feed paths are /updates/<channel>/<file>');
  });
  return r;
}
