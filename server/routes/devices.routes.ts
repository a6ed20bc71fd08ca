import { Router, type RequestHandler } from 'express';
import { createEnrollmentTokenRequestSchema, enrollRequestSchema } from '../../src/shared/http/auth';
import { principal } from '../http/auth-middleware';
import { parse, uuidParam } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { listDevices, revokeDevice } from '../services/devices.service';
import { listFleet } from '../services/fleet.service';
import { createEnrollmentToken, enroll, listTokens, revokeToken } from '../services/enrollment.service';

export function deviceRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  // Enrollment tokens are long random secrets: the API's per-address limit applies (a mass rollout
  // behind one NAT must not be throttled like password guessing).
  r.post('/v1/devices/enroll', async (req, res) => {
    res.status(201).json(await enroll(ctx, parse(enrollRequestSchema, req.body, 'body')));
  });
  r.post('/v1/devices/enrollment-tokens', auth, async (req, res) => {
    res.status(201).json(await createEnrollmentToken(ctx, principal(res), parse(createEnrollmentTokenRequestSchema, req.body, 'body')));
  });
  r.get('/v1/devices/enrollment-tokens', auth, async (_req, res) => {
    res.json(await listTokens(ctx, principal(res)));
  });
  r.delete('/v1/devices/enrollment-tokens/:id', auth, async (req, res) => {
    await revokeToken(ctx, principal(res), uuidParam(req.params.id));
    res.status(204).end();
  });
  r.get('/v1/fleet', auth, async (_req, res) => {
    res.json(await listFleet(ctx, principal(res)));
  });
  r.get('/v1/devices', auth, async (_req, res) => {
    res.json(await listDevices(ctx, principal(res)));
  });
  r.delete('/v1/devices/:id', auth, async (req, res) => {
    await revokeDevice(ctx, principal(res), uuidParam(req.params.id));
    res.status(204).end();
  });
  return r;
}
