import type { RequestHandler, Response } from 'express';
import type { RevocationCheck } from '../auth/revocation-check';
import type { Principal, AccessTokens } from '../auth/tokens';
import { unauthorized } from '../errors/http-error';

/** A valid access token whose device or session is still live (reads included). */
export function requireAuth(tokens: AccessTokens, revocations: RevocationCheck): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw unauthorized('send Authorization: Bearer <access token>');
    const who = await tokens.verify(match[1]);
    await revocations.assertLive(who);
    res.locals.principal = who;
    next();
  };
}

export function principal(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw unauthorized();
  return p;
}
