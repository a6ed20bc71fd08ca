import { Router, type RequestHandler } from 'express';
import { auditQuerySchema } from '../../src/shared/http/privacy';
import { principal } from '../http/auth-middleware';
import { parse, uuidParam } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { auditLog, eraseUserData, exportUser } from '../services/privacy.service';

export function privacyRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  r.get('/v1/users/:id/export', auth, async (req, res) => {
    const id = uuidParam(req.params.id);
    res.setHeader('Content-Disposition', `attachment; filename="stint-export-${id}.json"`);
    res.json(await exportUser(ctx, principal(res), id));
  });
  r.delete('/v1/users/:id/data', auth, async (req, res) => {
    res.json(await eraseUserData(ctx, principal(res), uuidParam(req.params.id)));
  });
  r.get('/v1/audit', auth, async (req, res) => {
    res.json(await auditLog(ctx, principal(res), parse(auditQuerySchema, req.query, 'query')));
  });
  return r;
}
