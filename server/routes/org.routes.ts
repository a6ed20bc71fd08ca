import { Router, type RequestHandler } from 'express';
import { updatePolicyRequestSchema, updateRetentionRequestSchema } from '../../src/shared/http/org';
import { principal } from '../http/auth-middleware';
import { parse } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { me, updatePolicy, updateRetention } from '../services/org.service';
import { listProjects } from '../services/projects.service';

export function orgRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  r.get('/v1/me', auth, async (_req, res) => {
    res.json(await me(ctx, principal(res)));
  });
  r.get('/v1/projects', auth, async (_req, res) => {
    res.json(await listProjects(ctx, principal(res)));
  });
  r.put('/v1/org/policy', auth, async (req, res) => {
    res.json(await updatePolicy(ctx, principal(res), parse(updatePolicyRequestSchema, req.body, 'body')));
  });
  r.put('/v1/org/retention', auth, async (req, res) => {
    await updateRetention(ctx, principal(res), parse(updateRetentionRequestSchema, req.body, 'body').retentionDays);
    res.status(204).end();
  });
  return r;
}
