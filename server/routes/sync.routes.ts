import { Router, type RequestHandler } from 'express';
import { pushRequestSchema } from '../../src/shared/http/push';
import { principal } from '../http/auth-middleware';
import { parse } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { push } from '../services/sync.service';

/** The device's batched ops (entries, activity minutes, deletions, idle decisions). */
export function syncRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  r.post('/v1/sync/push', auth, async (req, res) => {
    res.json(await push(ctx, principal(res), parse(pushRequestSchema, req.body, 'body')));
  });
  return r;
}
