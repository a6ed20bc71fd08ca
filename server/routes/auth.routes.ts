import { Router, type RequestHandler } from 'express';
import { deviceTokenRequestSchema, loginRequestSchema, logoutRequestSchema, refreshRequestSchema } from '../../src/shared/http/auth';
import { login, logout, refresh } from '../services/auth.service';
import type { ServiceContext } from '../services/context';
import { deviceAccessToken } from '../services/devices.service';
import { parse } from '../http/validate';

export function authRoutes(ctx: ServiceContext, loginLimit: RequestHandler): Router {
  const r = Router();
  r.post('/v1/auth/login', loginLimit, async (req, res) => {
    const body = parse(loginRequestSchema, req.body, 'body');
    res.json(await login(ctx, body.email, body.password));
  });
  // Refresh tokens and device credentials are long random secrets, not guessable passwords: they
  // share the API's per-address limit, so an office of devices behind one NAT is not throttled
  // like a password guesser after an outage.
  r.post('/v1/auth/refresh', async (req, res) => {
    res.json(await refresh(ctx, parse(refreshRequestSchema, req.body, 'body').refreshToken));
  });
  r.post('/v1/auth/logout', async (req, res) => {
    await logout(ctx, parse(logoutRequestSchema, req.body, 'body').refreshToken);
    res.status(204).end();
  });
  r.post('/v1/auth/device', async (req, res) => {
    const body = parse(deviceTokenRequestSchema, req.body, 'body');
    res.json(await deviceAccessToken(ctx, body.deviceId, body.deviceToken));
  });
  return r;
}
