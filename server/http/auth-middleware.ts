import type { RequestHandler, Response } from 'express';
import type { Principal, AccessTokens } from '../services/tokens';
import { unauthorized } from './http-error';

export function requireAuth(tokens: AccessTokens): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw unauthorized('send Authorization: Bearer <access token>');
    res.locals.principal = await tokens.verify(match[1]);
    next();
  };
}

export function principal(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw unauthorized();
  return p;
}
