import express, { type Express } from 'express';
import helmet from 'helmet';
import type pg from 'pg';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { principal, requireAuth } from '../../server/http/auth-middleware';
import { problemHandler } from '../../server/http/problem';
import type { RevocationCheck } from '../../server/auth/revocation-check';
import type { AccessTokens } from '../../server/auth/tokens';

/**
 * The architecture Stint replaces, kept only for comparison and never part of the product API:
 * the device POSTs the screenshot as base64 inside JSON and the request returns once the bytes
 * sit in a PostgreSQL bytea column. It gets the same generic middleware as Stint's API
 * (logging, helmet, bearer auth, problem errors) so the comparison is about the data path.
 */
export const BASELINE_SCHEMA = `
CREATE TABLE IF NOT EXISTS baseline_screenshots (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  taken_at timestamptz NOT NULL,
  content_type text NOT NULL,
  image bytea NOT NULL
)`;

/** `revocations` reads Stint's database (sessions and devices live there), as Stint's API does. */
export function baselineApp(pool: pg.Pool, tokens: AccessTokens, revocations: RevocationCheck): Express {
  const app = express();
  app.use(pinoHttp({ logger: pino({ level: 'silent' }) }));
  app.use(helmet());
  app.post('/legacy/screenshots', requireAuth(tokens, revocations), express.json({ limit: '50mb' }), async (req, res) => {
    const b = req.body as { id: string; takenAt: string; contentType: string; imageBase64: string };
    const image = Buffer.from(b.imageBase64, 'base64');
    await pool.query(
      'INSERT INTO baseline_screenshots (id, user_id, taken_at, content_type, image) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [b.id, principal(res).userId, b.takenAt, b.contentType, image],
    );
    res.status(201).json({ id: b.id });
  });
  app.use(problemHandler);
  return app;
}
